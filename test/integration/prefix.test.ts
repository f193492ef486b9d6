import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectClient, firstText, fixtureEntry, settled, startAgent, type RunningAgent } from '../helpers/harness';

describe('per-server prefix', () => {
  let running: RunningAgent;

  before(async () => {
    running = await startAgent({
      mcpServers: {
        plain: fixtureEntry('plain', { prefix: '' }),
        twin: fixtureEntry('twin', { prefix: '' }),
        custom: fixtureEntry('custom', { prefix: 'c' }),
      },
    });
    await settled(running.agent);
  });
  after(async () => running?.close());

  it('exposes names unchanged with an empty prefix, or under a custom one', async () => {
    const client = await connectClient(running.url);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('echo') && names.includes('c_1mcp_echo'));
    assert.ok(!names.some((n) => n.startsWith('custom_')));
    assert.equal(firstText(await client.callTool({ name: 'echo', arguments: { text: 'x' } })), 'plain: x');
    // All three list fixture://info: a collision, told apart by the prefix, or the server name without one.
    const uris = (await client.listResources()).resources.map((r) => r.uri).sort();
    assert.deepEqual(uris, ['c+fixture://info', 'plain+fixture://info', 'twin+fixture://info']);
    assert.equal(firstText(await client.readResource({ uri: 'c+fixture://info' }).then((r) => ({ content: [r.contents[0]] }))), 'info from custom');
    await client.close();
  });

  it('never lets a colliding name overwrite another backend, and reports the collision', () => {
    const twin = running.agent.state.backends.find((b) => b.name === 'twin');
    assert.ok(twin?.warnings.some((w) => w === 'tool "echo" hidden: already provided by "plain"'), JSON.stringify(twin?.warnings));
    assert.ok(!twin?.tools.some((t) => t.name === 'echo'));
    assert.ok(running.logs.some((l) => l.includes('[twin] tool "echo" is hidden: the name is already used by backend "plain"')));
  });
});
