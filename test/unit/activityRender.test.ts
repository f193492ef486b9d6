// What the Activity view, the status bar and the dashboard show of the activity record. Pure functions on plain Node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActivityRecord } from '../../src/core/activity/activityRecord';
import { activityItem, filterChoices, filterText, visibleActivity } from '../../src/extension/render/activityItems';
import { dashboardState } from '../../src/extension/render/dashboardState';
import { statusBarView } from '../../src/extension/render/statusBarView';
import { toWebviewSchema } from '../../src/shared/dashboardProtocol';
import { agentState } from '../helpers/agentStates';

const T = new Date(2030, 0, 1, 10, 15, 2).getTime();

function call(overrides: Partial<ActivityRecord> = {}): ActivityRecord {
  return { time: T, client: 'client-a', method: 'tools/call', target: 'alpha_1mcp_echo', server: 'alpha', serverTarget: 'echo', durationMs: 12.4, outcome: 'ok', era: 'handshake', session: 's1', bytes: 1234, ...overrides };
}

const running = agentState('running', [], { configPath: '/c/mcp.json', sessions: 1 });

describe('activity in the editor', () => {
  it('renders a call as a row: time, client, server › tool, duration, an outcome icon, why in the tooltip', () => {
    const ok = activityItem(call(), 'k1');
    assert.deepEqual([ok.id, ok.label, ok.description, ok.icon.id, ok.contextValue], ['k1', '10:15:02  client-a  alpha › echo', '12 ms', 'pass', 'activity:ok']);
    const refused = activityItem(call({ outcome: 'refused', refusedBy: 'scope', reason: 'Backend "alpha" is outside the grant', oauthClient: { id: 'c-1', name: 'Editor *A*' } }), 'k2');
    assert.equal(refused.icon.id, 'circle-slash');
    assert.match(refused.tooltip ?? '', /refused \\\(scope\\\): Backend "alpha" is outside the grant/, 'escaped for Markdown');
    assert.match(refused.tooltip ?? '', /registered as Editor \\\*A\\\*, `c-1`/, 'names escaped for Markdown');
    assert.equal(activityItem(call({ outcome: 'error', reason: 'boom' }), 'k3').icon.id, 'error');
  });

  it('lists newest first, filtered by client or server, without what came before Clear', () => {
    const records = [call({ time: T, client: 'a', server: 'x' }), call({ time: T + 1, client: 'b', server: 'x' }), call({ time: T + 2, client: 'a', server: 'y' })];
    assert.deepEqual(visibleActivity(records, {}, 0).map((r) => r.time), [T + 2, T + 1, T]);
    assert.deepEqual(visibleActivity(records, { client: 'A' }, 0).map((r) => r.time), [T + 2, T]);
    assert.deepEqual(visibleActivity(records, { server: 'x' }, T).map((r) => r.time), [T + 1]);
    assert.deepEqual(filterChoices(records).map((c) => c.label), ['All calls', 'Client: a', 'Client: b', 'Server: x', 'Server: y']);
    assert.deepEqual([filterText({}), filterText({ client: 'a' }), filterText({ server: 'x' })], [undefined, 'a', 'server x']);
  });

  it('counts the last hour’s calls and failures in the status bar tooltip', () => {
    assert.match(statusBarView(running, { calls: 12, failures: 2 }).tooltip, /Last hour: 12 calls, 2 failed/);
    assert.match(statusBarView(running, { calls: 0, failures: 0 }).tooltip, /No calls in the last hour/);
    assert.doesNotMatch(statusBarView({ ...running, phase: 'stopped' }, { calls: 3, failures: 0 }).tooltip, /Last hour/);
  });

  it('sends the dashboard the latest calls, newest first, as its protocol allows', () => {
    const records = Array.from({ length: 12 }, (_, i) => call({ time: T + i, target: `t${i}`, serverTarget: undefined, arguments: { secret: 'never shown' } }));
    const view = dashboardState(running, records);
    assert.equal(view.calls.length, 10);
    assert.deepEqual(view.calls[0], { time: T + 11, client: 'client-a', target: 'alpha › t11', duration: '12 ms', outcome: 'ok', detail: 'ok' });
    assert.ok(!JSON.stringify(view).includes('never shown'), 'no arguments on the dashboard');
    assert.ok(toWebviewSchema.safeParse({ type: 'state', state: view }).success);
  });
});
