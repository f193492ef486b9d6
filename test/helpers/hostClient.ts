/** An SDK client that answers backends' questions (sampling, elicitation, roots) the way a host application would. */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { firstText, waitFor } from './harness';

export const HOST_CAPABILITIES = { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } };

/** What the host saw: sampling requests that the server cancelled while they waited. */
export interface HostRecord {
  samplingCancelled: number;
}

/**
 * Connects a client over `transport` that samples (echoing the question), accepts elicitations as
 * "Ada Lovelace" and lists one root. A question containing "report progress" is answered only once the
 * fixture backend has seen the client's progress; one containing "wait for cancel" waits to be cancelled.
 */
export async function hostClient(transport: Transport, record: HostRecord = { samplingCancelled: 0 }): Promise<Client> {
  const client = new Client({ name: 'host', version: '1' }, { capabilities: HOST_CAPABILITIES });
  client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
    const progressToken = extra._meta?.progressToken;
    const question = JSON.stringify(request.params.messages);
    if (progressToken !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: 1, total: 2 } });
    if (question.includes('report progress')) {
      // Answer only once the backend has seen the progress, so the test does not race the answer.
      await waitFor(async () => firstText(await client.callTool({ name: 'alpha_1mcp_ask-progress', arguments: {} })) === '1', 'progress at the backend');
    }
    if (question.includes('wait for cancel')) {
      await new Promise((resolve) => extra.signal.addEventListener('abort', resolve, { once: true }));
      record.samplingCancelled++;
      throw new Error('cancelled by the server');
    }
    return {
      role: 'assistant',
      model: 'test-model',
      stopReason: 'endTurn',
      content: { type: 'text', text: `sampled: ${JSON.stringify(request.params.messages[0]?.content)}` },
    };
  });
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada Lovelace', check: true } }));
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///work/project-root', name: 'project' }] }));
  await client.connect(transport);
  return client;
}

/** Calls server-everything's tools that ask the client to sample, elicit and list roots; checks the answers came back. */
export async function assertHostRequestsAnswered(client: Client): Promise<void> {
  const sampled = await client.callTool({ name: 'everything_1mcp_trigger-sampling-request', arguments: { prompt: 'capital of France?' } });
  assert.match(JSON.stringify(sampled.content), /sampled: .*capital of France/);
  const elicited = await client.callTool({ name: 'everything_1mcp_trigger-elicitation-request', arguments: {} });
  assert.match(JSON.stringify(elicited.content), /Ada Lovelace/);
  const roots = await client.callTool({ name: 'everything_1mcp_get-roots-list', arguments: {} });
  assert.match(JSON.stringify(roots.content), /file:\/\/\/work\/project-root/);
}
