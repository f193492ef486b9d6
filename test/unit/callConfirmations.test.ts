// CallConfirmations where no answer comes: the question times out, or the client stops waiting. The
// answered cases (decline, accept, for this session, the editor first) run against real clients in
// test/integration/confirmCalls.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallConfirmations, type ConfirmationCall } from '../../src/core/integrity/callConfirmations';
import { REFUSAL_META } from '../../src/core/integrity/refusal';
import { createStreamLogger } from '../../src/core/logger';

describe('CallConfirmations without an answer', () => {
  const logs: string[] = [];
  const confirmations = (timeoutMs: number): CallConfirmations => new CallConfirmations({ logger: createStreamLogger('info', (line) => logs.push(line)), editor: false, timeoutMs });
  /** A client that takes the question and never answers it; records whether the question was withdrawn. */
  const silentClient = (): { call: ConfirmationCall; withdrawn: () => boolean } => {
    let signal: AbortSignal | undefined;
    const call: ConfirmationCall = {
      server: 'notes',
      tool: 'delete_notes',
      clientName: 'Ada',
      arguments: { reason: 'tidy up' },
      ask: (_request, options) => {
        signal = options.signal;
        return new Promise(() => undefined);
      },
    };
    return { call, withdrawn: () => signal?.aborted === true };
  };

  it('no answer in time: the tool does not run, the client gets an error result saying why, the question is withdrawn', async () => {
    const { call, withdrawn } = silentClient();
    const waiting = confirmations(20);
    // The question's timer does not hold the process open (an agent's listener does); this test's process has nothing else.
    const keepAlive = setInterval(() => undefined, 1_000);
    const result = await waiting.confirm(call).finally(() => clearInterval(keepAlive));
    assert.equal(result?.isError, true);
    assert.equal(result?._meta?.[REFUSAL_META], 'unanswered');
    assert.match((result?.content[0] as { text?: string } | undefined)?.text ?? '', /1MCP did not run notes › delete_notes: .*"confirm".*nobody answered within 0 s/);
    assert.ok(withdrawn());
    assert.deepEqual(waiting.pending(), []);
    assert.ok(logs.some((line) => line.includes('[notes] "delete_notes" for client "Ada": not run, nobody answered')), logs.join('\n'));
  });

  it('the client stops waiting: the tool does not run and the question is withdrawn', async () => {
    const { call, withdrawn } = silentClient();
    const gaveUp = new AbortController();
    const waiting = confirmations(60_000);
    const result = waiting.confirm({ ...call, signal: gaveUp.signal });
    assert.equal(waiting.pending().length, 1);
    gaveUp.abort();
    assert.equal((await result)?._meta?.[REFUSAL_META], 'unanswered');
    assert.ok(withdrawn());
    assert.deepEqual(waiting.pending(), []);
  });
});
