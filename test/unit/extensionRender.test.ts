// What the views show for a state: status bar, tree rows, backend log, context keys, the MCP server
// definition and the dashboard's messages. Pure functions on plain Node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentState, BackendState } from '../../src/core/state';
import { backendItem, toolItem } from '../../src/extension/render/backendItems';
import { backendLog } from '../../src/extension/render/backendLog';
import { clientItem } from '../../src/extension/render/clientItems';
import { contextKeys } from '../../src/extension/render/contextKeys';
import { dashboardHtml } from '../../src/extension/render/dashboardHtml';
import { dashboardState } from '../../src/extension/render/dashboardState';
import { mcpDefinition, mcpDefinitionKey } from '../../src/extension/render/mcpDefinition';
import { statusBarView } from '../../src/extension/render/statusBarView';
import { fromWebviewSchema, toWebviewSchema } from '../../src/shared/dashboardProtocol';

function backend(name: string, status: BackendState['status'], extra: Partial<BackendState> = {}): BackendState {
  const tools = status === 'connected' ? [{ name: `${name}_1mcp_echo`, title: 'Echo', description: 'Echoes' }] : [];
  return { name, type: 'stdio', status, stderr: [], tags: [], disabledTools: [], tools, restarts: 0, warnings: [], signedIn: false, ...extra };
}

function state(phase: AgentState['phase'], backends: BackendState[] = [], extra: Partial<AgentState> = {}): AgentState {
  const endpoint = phase === 'running' ? 'http://127.0.0.1:3050/mcp' : undefined;
  return {
    phase,
    configPath: '/home/dev/.config/1mcp/mcp.json',
    host: '127.0.0.1',
    port: 3050,
    endpoint,
    sessions: 0,
    backends,
    pendingConnections: [],
    auth: { enabled: false, scopeValidation: false },
    pendingApprovals: [],
    clients: [],
    ...extra,
  };
}

describe('status bar', () => {
  it('counts connected backends out of the enabled ones', () => {
    const view = statusBarView(state('running', [backend('a', 'connected'), backend('b', 'connected'), backend('c', 'disabled')]));
    assert.equal(view.text, '$(plug) 1MCP 2/2');
    assert.equal(view.background, undefined);
    assert.match(view.tooltip, /http:\/\/127\.0\.0\.1:3050\/mcp/);
    assert.match(view.tooltip, /\(command:onemcp\.openDashboard\)/);
  });

  it('warns when a backend failed or awaits OAuth', () => {
    const failed = statusBarView(state('running', [backend('a', 'connected'), backend('b', 'error')]));
    assert.deepEqual([failed.text, failed.background], ['$(warning) 1MCP 1/2', 'warning']);
    assert.match(failed.tooltip, /1 failed/);
    const awaiting = statusBarView(state('running', [backend('a', 'awaiting_oauth')]));
    assert.deepEqual([awaiting.text, awaiting.background], ['$(warning) 1MCP 0/1', 'warning']);
    assert.match(awaiting.tooltip, /1 awaiting OAuth/);
    assert.equal(statusBarView(state('running', [backend('a', 'connected')], { configError: 'bad' })).background, 'warning');
  });

  it('shows an error background whenever the agent is not running', () => {
    assert.equal(statusBarView(state('stopped')).background, 'error');
    const failed = statusBarView(state('failed', [], { error: 'Port 3050 on 127.0.0.1 is already in use' }));
    assert.equal(failed.background, 'error');
    assert.match(failed.tooltip, /Port 3050 on 127\\\.0\\\.0\\\.1 is already in use/);
    assert.equal(statusBarView(state('starting')).text, '$(loading~spin) 1MCP');
  });

  it('escapes error text so it cannot add links to the trusted tooltip', () => {
    const view = statusBarView(state('failed', [], { error: '[click](command:workbench.action.terminal.new)' }));
    assert.doesNotMatch(view.tooltip, /\]\(command:workbench/);
  });
});

describe('backends tree rows', () => {
  it('describe status, tags and tool count, and carry the status in their context value', () => {
    const item = backendItem(backend('files', 'connected', { tags: ['local', 'files'] }));
    assert.deepEqual([item.label, item.description, item.contextValue, item.icon.id, item.collapsible], ['files', '#local #files · 1 tool', 'backend:connected', 'pass-filled', true]);
    assert.equal(item.accessibilityLabel, 'files: connected, 1 tool');
    const off = backendItem(backend('off', 'disabled'));
    assert.deepEqual([off.description, off.contextValue, off.collapsible], ['disabled', 'backend:disabled', false]);
    assert.equal(backendItem(backend('gh', 'awaiting_oauth')).icon.id, 'key');
  });

  it('put the error and the last stderr lines in the tooltip', () => {
    const stderr = Array.from({ length: 12 }, (_, i) => `line ${i}`);
    const item = backendItem(backend('bad', 'error', { reason: 'exited with code 1', stderr }));
    assert.match(item.tooltip ?? '', /exited with code 1/);
    assert.match(item.tooltip ?? '', /line 11/);
    assert.doesNotMatch(item.tooltip ?? '', /line 3\n/);
  });

  it('show tools without the namespace under their backend', () => {
    const tool = toolItem('files', { name: 'files_1mcp_read_file', title: 'Read file', description: 'Reads a file' });
    assert.deepEqual([tool.label, tool.id, tool.contextValue], ['read_file', 'tool:files:files_1mcp_read_file', 'tool']);
    assert.match(tool.tooltip ?? '', /files_1mcp_read_file/);
  });

  it('the backend log lists the status and the stderr tail', () => {
    const text = backendLog(backend('bad', 'error', { reason: 'boom', stderr: ['Error: missing module'] }), 'bad');
    assert.match(text, /^# bad \(stdio\): error\nreason: boom\n/);
    assert.match(text, /# last stderr lines\nError: missing module\n$/);
    assert.match(backendLog(undefined, 'gone'), /not in the running config/);
  });
});

describe('context keys and the MCP server definition', () => {
  it('set the keys menus and welcome content use', () => {
    assert.deepEqual(contextKeys(state('running', [backend('a', 'disabled')])), { 'onemcp.phase': 'running', 'onemcp.hasBackends': true, 'onemcp.hasDisabledBackends': true });
  });

  it('offer the endpoint to VS Code only while running, with a version that follows the connected backends', () => {
    assert.equal(mcpDefinition(state('stopped')), undefined);
    const one = mcpDefinition(state('running', [backend('a', 'connected')]));
    assert.equal(one?.uri, 'http://127.0.0.1:3050/mcp');
    assert.equal(one?.label, '1MCP Agent');
    const two = mcpDefinition(state('running', [backend('a', 'connected'), backend('b', 'connected')]));
    assert.notEqual(one?.version, two?.version);
    assert.equal(mcpDefinitionKey(state('running', [backend('a', 'connected'), backend('b', 'error')])), mcpDefinitionKey(state('running', [backend('a', 'connected')])));
    assert.notEqual(mcpDefinitionKey(state('running', [], { endpoint: 'http://127.0.0.1:4000/mcp' })), mcpDefinitionKey(state('running')));
  });
});

describe('dashboard', () => {
  it('sends a state the webview schema accepts', () => {
    const message = { type: 'state', state: dashboardState(state('running', [backend('a', 'connected', { tags: ['x'] }), backend('b', 'error', { reason: 'boom' })])) };
    const parsed = toWebviewSchema.parse(message);
    assert.deepEqual(parsed.state.backends.map((b) => [b.name, b.status, b.toolCount]), [['a', 'connected', 1], ['b', 'error', 0]]);
  });

  it('accepts only the listed commands from the webview', () => {
    assert.ok(fromWebviewSchema.safeParse({ type: 'command', command: 'onemcp.restartBackend', backend: 'a' }).success);
    assert.ok(fromWebviewSchema.safeParse({ type: 'ready' }).success);
    assert.equal(fromWebviewSchema.safeParse({ type: 'command', command: 'workbench.action.terminal.new' }).success, false);
    assert.equal(fromWebviewSchema.safeParse({ type: 'command', command: 'onemcp.restartBackend', backend: '' }).success, false);
    assert.equal(fromWebviewSchema.safeParse('ready').success, false);
  });

  it('loads only its nonce-tagged script and media/ styles under a strict CSP', () => {
    const html = dashboardHtml({ cspSource: 'https://webview.test', script: 'https://webview.test/media/dashboard.js', style: 'https://webview.test/media/dashboard.css' }, 'N0nce');
    const csp = /content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N0nce'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(html, /<script nonce="N0nce" src="https:\/\/webview\.test\/media\/dashboard\.js"><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
  });
});

describe('clients view rows', () => {
  it('show the granted tags, or that the client holds no grant', () => {
    const base = { clientId: 'c1', clientName: 'Claude Code', redirectUris: ['http://127.0.0.1/callback'], inProcess: false, registeredAt: Date.UTC(2026, 0, 1) };
    const granted = clientItem({ ...base, grantedTags: ['web', 'files'], authorized: true, lastUsedAt: Date.UTC(2026, 0, 2) });
    assert.deepEqual([granted.label, granted.description, granted.contextValue], ['Claude Code', '#web #files', 'client:authorized']);
    assert.match(granted.tooltip ?? '', /`web`, `files`/);
    assert.match(granted.tooltip ?? '', /c1/);
    const none = clientItem({ ...base, grantedTags: [], authorized: false });
    assert.deepEqual([none.description, none.contextValue, none.accessibilityLabel], ['no grant', 'client:unauthorized', 'Claude Code: no grant']);
    assert.match(none.tooltip ?? '', /Last used: never/);
  });
});
