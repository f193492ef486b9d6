import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ApprovalBroker, ApprovalOutcome, PendingApproval } from '../../src/core/auth/approvalBroker';
import { ApprovalQueue, type ApprovalDetails } from '../../src/core/auth/approvalQueue';
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

const details: ApprovalDetails = { clientId: 'c', clientName: 'Client', redirectUri: 'http://127.0.0.1/', requestedTags: ['a'], availableTags: ['a', 'b'], scopeValidation: true };

function setup(max = 20) {
  const broker = new RecordingBroker();
  const clock = new ManualClock();
  const outcomes: ApprovalOutcome[] = [];
  const queue = new ApprovalQueue(broker, clock, 60_000, max);
  const add = () => queue.add(details, (o) => outcomes.push(o));
  return { broker, clock, queue, outcomes, add };
}

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

void it('expires requests after their time, and the oldest when too many wait', () => {
  const { clock, queue, add, outcomes, broker } = setup(2);
  add();
  clock.advance(60_000);
  assert.deepEqual(queue.list(), []);
  assert.deepEqual(outcomes, [{ status: 'expired' }]);
  const [second, third] = [add(), add()];
  const fourth = add();
  assert.deepEqual(queue.list().map((a) => a.id), [third.id, fourth.id]);
  assert.deepEqual(broker.settlements.at(-1), [second.id, 'expired']);
  queue.close();
  assert.equal(outcomes.filter((o) => o.status === 'expired').length, 4);
});
