import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ApprovalBroker, ApprovalOutcome, PendingApproval } from '../../src/core/auth/approvalBroker';
import { ApprovalQueue, type ApprovalDetails, type ApprovalQuotas } from '../../src/core/auth/approvalQueue';
import type { RequestOrigin } from '../../src/core/auth/requestOrigin';
import { ManualClock } from '../../src/core/clock';
import { HttpError } from '../../src/core/httpError';

/** The in-memory broker: remembers what it was told. */
class RecordingBroker implements ApprovalBroker {
  readonly requests: PendingApproval[] = [];
  readonly settlements: [string, string][] = [];
  requested(approval: PendingApproval): void {
    this.requests.push(approval);
  }
  settled(id: string, outcome: ApprovalOutcome['status']): void {
    this.settlements.push([id, outcome]);
  }
}

const details: ApprovalDetails = { clientId: 'c', clientName: 'Client', origin: { kind: 'loopback' }, redirectUri: 'http://127.0.0.1/', requestedTags: ['a'], availableTags: ['a', 'b'], scopeValidation: true };

function setup(quotas?: ApprovalQuotas) {
  const broker = new RecordingBroker();
  const clock = new ManualClock();
  const outcomes: ApprovalOutcome[] = [];
  const queue = new ApprovalQueue(broker, clock, 60_000, quotas);
  const add = (more: Partial<ApprovalDetails> = {}) => queue.add({ ...details, ...more }, (o) => outcomes.push(o));
  return { broker, clock, queue, outcomes, add };
}

const refused = (pattern: RegExp) => (e: unknown) => e instanceof HttpError && e.status === 429 && pattern.test(e.message);
const neighbour = (address: string): RequestOrigin => ({ kind: 'network', address });

void it('announces a request, and settles it once with the tags the user granted', () => {
  const { broker, queue, outcomes, add } = setup();
  const approval = add();
  assert.deepEqual(broker.requests, [approval]);
  assert.deepEqual(queue.list(), [approval]);
  queue.decide(approval.id, { approve: true, tags: ['b', 'b'] });
  assert.deepEqual(outcomes, [{ status: 'approved', tags: ['b'] }]);
  assert.deepEqual(broker.settlements, [[approval.id, 'approved']]);
  assert.deepEqual(queue.list(), []);
  assert.throws(() => queue.decide(approval.id, { approve: false }), (e: unknown) => e instanceof HttpError && e.status === 404);
});

void it('refuses to grant a tag neither requested nor configured', () => {
  const { queue, add, outcomes } = setup();
  const approval = add();
  assert.throws(() => queue.decide(approval.id, { approve: true, tags: ['z'] }), (e: unknown) => e instanceof HttpError && e.status === 400);
  assert.deepEqual(outcomes, [], 'still pending');
  queue.decide(approval.id, { approve: false });
  assert.deepEqual(outcomes, [{ status: 'denied' }]);
});

void it('expires requests after their time, and all of them when it closes', () => {
  const { clock, queue, add, outcomes } = setup();
  add();
  clock.advance(60_000);
  assert.deepEqual(queue.list(), []);
  assert.deepEqual(outcomes, [{ status: 'expired' }]);
  add();
  add({ clientId: 'd' });
  queue.close();
  assert.equal(outcomes.filter((o) => o.status === 'expired').length, 3);
});

void it('refuses a request over its client\'s quota, leaving the waiting ones alone', () => {
  const { queue, add, outcomes, broker } = setup({ perClient: 2, perRequester: 10, fromNetwork: 10 });
  const [first, second] = [add(), add()];
  assert.throws(() => add(), refused(/^This application already has 2 authorization requests waiting for the user\. Decide on them in 1MCP, or wait until they expire/));
  assert.deepEqual(queue.list().map((a) => a.id), [first.id, second.id]);
  assert.deepEqual(outcomes, [], 'nothing waiting was ended');
  assert.equal(broker.requests.length, 2, 'the refused request was never shown');
  queue.decide(first.id, { approve: false });
  assert.ok(add(), 'room again once one is decided');
});

void it('counts a network (/24, /56) as one requester, and never lets the network push out this machine', () => {
  const { queue, add } = setup({ perClient: 5, perRequester: 3, fromNetwork: 4 });
  const local = add({ clientId: 'local' });
  add({ clientId: 'n1', origin: neighbour('192.0.2.7') });
  add({ clientId: 'n2', origin: neighbour('192.0.2.8') });
  add({ clientId: 'n3', origin: neighbour('192.0.2.200') });
  assert.throws(() => add({ clientId: 'n4', origin: neighbour('192.0.2.9') }), refused(/3 authorization requests from the network \(192\.0\.2\.9\) are already waiting/));
  add({ clientId: 'v6', origin: neighbour('2001:db8:0:1a0::1') });
  assert.throws(() => add({ clientId: 'far', origin: neighbour('198.51.100.1') }), refused(/4 authorization requests from the network are already waiting/));
  add({ clientId: 'local2' });
  add({ clientId: 'local3' });
  assert.throws(() => add({ clientId: 'local4' }), refused(/3 authorization requests from this machine/), 'this machine has a quota of its own');
  assert.ok(queue.list().some((a) => a.id === local.id), 'the local request still waits');
  assert.equal(queue.list().length, 7);
});
