// What a client is told when a call cannot be served: one "MCP error <code>:" prefix (its SDK's own),
// and words it can act on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { McpError, ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectClient, fixtureEntry, settled, startAgent, type RunningAgent } from '../helpers/harness';

/** The message a rejected call carries, as the client's SDK shows it. */
async function failure(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the call succeeded');
}

describe('errors clients get', () => {
  let running: RunningAgent;
  let client: Client;

  before(async () => {
    running = await startAgent({
      mcpServers: {
        alpha: fixtureEntry('alpha', { tags: ['a'], disabledTools: ['fail'] }),
        beta: fixtureEntry('beta', { tags: ['b'] }),
        down: { command: 'definitely-not-a-command-onemcp', tags: ['a'] },
      },
    });
    await settled(running.agent);
    client = await connectClient(`${running.url}?tags=a`);
  });

  after(async () => {
    await client?.close();
    await running?.close();
  });

  it('an unknown tool: one prefix, and the closest names this session can call', async () => {
    const typo = await failure(client.callTool({ name: 'alpha_1mcp_ecoh', arguments: {} }));
    assert.equal(typo, 'MCP error -32602: Tool "alpha_1mcp_ecoh" not found. Did you mean "alpha_1mcp_echo"?');
    const bare = await failure(client.callTool({ name: 'echo', arguments: {} }));
    assert.match(bare, /^MCP error -32602: Tool "echo" not found\. Did you mean "alpha_1mcp_echo"\?$/, 'beta is outside the selection');
    const nothingClose = await failure(client.callTool({ name: 'zzzzzzzz', arguments: {} }));
    assert.match(nothingClose, /^MCP error -32602: Tool "zzzzzzzz" not found\. This session has \d+; tools\/list names them\.$/);
  });

  it('a tool that is disabled, outside the selection, or on a backend that is not connected says so', async () => {
    assert.equal(
      await failure(client.callTool({ name: 'alpha_1mcp_fail', arguments: {} })),
      'MCP error -32602: Tool "alpha_1mcp_fail" is disabled in the configuration ("disabledTools" of backend "alpha")',
    );
    assert.match(await failure(client.callTool({ name: 'beta_1mcp_echo', arguments: {} })), /^MCP error -32602: Tool "beta_1mcp_echo" is outside this session's selection of backends/);
    assert.match(
      await failure(client.callTool({ name: 'down_1mcp_echo', arguments: {} })),
      /^MCP error -32602: Tool "down_1mcp_echo" is not available: backend "down" is not connected: Error — command not found: definitely-not-a-command-onemcp \(searched PATH=/,
    );
  });

  it("a backend's own error passes through with its code and message, prefixed once", async () => {
    const message = await failure(client.readResource({ uri: 'alpha+fixture://missing/x' }));
    assert.equal(message, 'MCP error -32002: Resource fixture://missing/x not found');
  });

  it('an unknown prompt: the closest names', async () => {
    assert.equal(await failure(client.getPrompt({ name: 'alpha_1mcp_greeet' })), 'MCP error -32602: Prompt "alpha_1mcp_greeet" not found. Did you mean "alpha_1mcp_greet"?');
  });

  it('malformed params: -32602 with what is wrong, not an internal error with a schema dump', async () => {
    const refusal = (request: object): Promise<McpError> =>
      client.request(request as never, ResultSchema).then(
        () => assert.fail(`${JSON.stringify(request)} was answered`),
        (error: McpError) => error,
      );
    const answers = await Promise.all([
      refusal({ method: 'prompts/get', params: {} }),
      refusal({ method: 'resources/read', params: { uri: 7 } }),
      refusal({ method: 'logging/setLevel', params: { level: 'loud' } }),
    ]);
    for (const error of answers) {
      assert.ok(error instanceof McpError, String(error));
      assert.equal(error.code, -32602, error.message);
      assert.doesNotMatch(error.message, /[[{]\s*"/, 'no JSON dump');
    }
    assert.match(answers[0]?.message ?? '', /^MCP error -32602: Invalid params for prompts\/get: params\.name /);
    assert.match(answers[1]?.message ?? '', /^MCP error -32602: Invalid params for resources\/read: params\.uri /);
    assert.match(answers[2]?.message ?? '', /^MCP error -32602: Invalid params for logging\/setLevel: params\.level /);
  });
});
