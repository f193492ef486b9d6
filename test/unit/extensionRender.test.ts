// What the views show for a state: status bar, tree rows, backend log, context keys, the MCP server
// definition, the dashboard's messages and the notification texts. Pure functions on plain Node.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PendingApproval } from '../../src/core/auth/approvalBroker';
import type { AgentState } from '../../src/core/state/agentState';
import { agentState as state, backendState as backend } from '../helpers/agentStates';
import { statusDetail } from '../../src/core/backends/backendStatus';
import { backendItem, heldToolItem, toolItem } from '../../src/extension/render/backendItems';
import { confirmationText, toolDiffPath, toolReviewText } from '../../src/extension/render/integrityText';
import type { ToolReview } from '../../src/core/integrity/toolPins';
import { backendLog } from '../../src/extension/render/backendLog';
import { clientItem, clientRows, type EditorClientView } from '../../src/extension/render/clientItems';
import { contextKeys } from '../../src/extension/render/contextKeys';
import { dashboardHtml } from '../../src/extension/render/dashboardHtml';
import { dashboardState } from '../../src/extension/render/dashboardState';
import { mcpDefinition, mcpDefinitionKey } from '../../src/extension/render/mcpDefinition';
import { approvalOutcomeText, approvalRequestText, connectionPromptText } from '../../src/extension/render/requestText';
import { escape, statusBarView } from '../../src/extension/render/statusBarView';
import { fromWebviewSchema, toWebviewSchema } from '../../src/shared/dashboardProtocol';

describe('status bar', () => {
  it('counts connected backends out of the enabled ones', () => {
    const view = statusBarView(state('running', [backend('a', 'connected'), backend('b', 'connected'), backend('c', 'disabled')]));
    assert.equal(view.text, '$(plug) 1MCP 2/2');
    assert.equal(view.background, undefined);
    assert.match(view.tooltip, /http:\/\/127\.0\.0\.1:3050\/mcp/);
    assert.match(view.tooltip, /\(command:onemcp\.openDashboard\)/);
  });

  it('says when the agent listens on every interface, with every URL that reaches it', () => {
    const listening = { description: 'all interfaces (0.0.0.0:3050)', endpoints: ['http://127.0.0.1:3050/mcp', 'http://192.0.2.2:3050/mcp'], loopbackOnly: false };
    const view = statusBarView(state('running', [backend('a', 'connected')], { host: '0.0.0.0', listening, auth: { enabled: true, scopeValidation: false } }));
    assert.match(view.tooltip, /on all interfaces \\\(0\\\.0\\\.0\\\.0:3050\\\)/);
    assert.match(view.tooltip, /`http:\/\/127\.0\.0\.1:3050\/mcp`, `http:\/\/192\.0\.2\.2:3050\/mcp`/);
    const local = statusBarView(state('running', [], { listening: { description: '127.0.0.1:3050', endpoints: ['http://127.0.0.1:3050/mcp'], loopbackOnly: true } }));
    assert.match(local.tooltip, /^\*\*1MCP agent\*\* at `http:\/\/127\.0\.0\.1:3050\/mcp`/);
  });

  it('says who serves the agent, and that a following window is still connecting to it', () => {
    const servedBy = { kind: 'editor' as const, label: 'api', pid: 41 };
    assert.ok(statusBarView(state('running', [], { role: 'following', servedBy })).tooltip.includes(escape('Served by the VS Code window “api” (pid 41)')));
    const joining = statusBarView(state('running', [backend('a', 'connected')], { role: 'following', partial: true, servedBy: { ...servedBy, label: 'another VS Code window' } }));
    assert.ok(joining.tooltip.includes(escape('Served by another VS Code window (pid 41); connecting to it')), joining.tooltip);
    assert.equal(joining.text, '$(plug) 1MCP 1/1');
    const cli = statusBarView(state('running', [], { role: 'observing', servedBy: { kind: 'cli', label: '1MCP CLI', pid: 7 } }));
    assert.ok(cli.tooltip.includes(escape('Served by the 1MCP CLI (pid 7); shown read-only here')), cli.tooltip);
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

  it('names each backend that failed, restarts or awaits OAuth, with why, as the tree says it', () => {
    const at = new Date(2026, 0, 2, 13, 4, 5).getTime();
    const lastError = { message: 'process exited with code 3', exitCode: 3, stderr: 'boom: missing API key', at };
    const flaky = backend('flaky', 'restarting', { reason: lastError.message, lastError, restarts: 2, nextRestart: { attempt: 2, of: 5, at } });
    const view = statusBarView(state('running', [backend('a', 'connected'), flaky]));
    assert.deepEqual([view.text, view.background], ['$(warning) 1MCP 1/2', 'warning']);
    assert.match(view.tooltip, /1 of 2 backends connected \(1 restarting\)/);
    assert.ok(view.tooltip.includes(`**flaky** — Restarting: ${escape('process exited with code 3 — stderr: boom: missing API key; restart 2 of 5 at 13:04:05')}`));
    assert.ok(backendItem(flaky).tooltip?.includes(escape('restart 2 of 5 at 13:04:05')), 'the tree says the same');
    const many = statusBarView(state('running', Array.from({ length: 7 }, (_, i) => backend(`b${i}`, 'error', { reason: 'boom' }))));
    assert.match(many.tooltip, /\*\*b4\*\* — Error: boom\n\nand 2 more/);
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
    const awaiting = backendItem(backend('gh', 'awaiting_oauth', { type: 'http' }));
    assert.deepEqual([awaiting.icon.id, awaiting.contextValue], ['key', 'backend:awaiting_oauth']);
    const restarting = backendItem(backend('flaky', 'restarting', { reason: 'process exited with code 3' }));
    assert.deepEqual([restarting.description, restarting.icon.id, restarting.accessibilityLabel], ['restarting', 'debug-restart', 'flaky: restarting']);
    assert.equal(backendItem(backend('gh', 'connected', { type: 'http', signedIn: true })).contextValue, 'backend:connected:signedIn');
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
    assert.deepEqual(contextKeys(state('running', [backend('a', 'disabled')])), {
      'onemcp.phase': 'running',
      'onemcp.hasBackends': true,
      'onemcp.hasDisabledBackends': true,
      'onemcp.hasRemoteBackends': false,
      'onemcp.hasSignedInBackends': false,
      'onemcp.hasClients': false,
      'onemcp.hasHeldTools': false,
    });
    const remote = contextKeys(state('running', [backend('gh', 'connected', { type: 'http', signedIn: true })]));
    assert.deepEqual([remote['onemcp.hasRemoteBackends'], remote['onemcp.hasSignedInBackends']], [true, true]);
  });

  it('offer the endpoint to VS Code only while running, with its tool mode and a version that follows the connected backends', () => {
    assert.equal(mcpDefinition(state('stopped'), 'auto'), undefined);
    const one = mcpDefinition(state('running', [backend('a', 'connected')]), 'auto');
    assert.equal(one?.uri, 'http://127.0.0.1:3050/mcp?mode=auto');
    assert.equal(one?.label, '1MCP Agent');
    assert.equal(mcpDefinition(state('running'), 'search')?.uri, 'http://127.0.0.1:3050/mcp?mode=search');
    const two = mcpDefinition(state('running', [backend('a', 'connected'), backend('b', 'connected')]), 'auto');
    assert.notEqual(one?.version, two?.version);
    assert.equal(mcpDefinitionKey(state('running', [backend('a', 'connected'), backend('b', 'error')]), 'all'), mcpDefinitionKey(state('running', [backend('a', 'connected')]), 'all'));
    assert.notEqual(mcpDefinitionKey(state('running', [], { endpoint: 'http://127.0.0.1:4000/mcp' }), 'all'), mcpDefinitionKey(state('running'), 'all'));
    assert.notEqual(mcpDefinitionKey(state('running'), 'all'), mcpDefinitionKey(state('running'), 'search'));
  });
});

describe('dashboard', () => {
  it('sends a state the webview schema accepts', () => {
    const lastError = { message: 'process exited with code 3', stderr: 'boom', at: 0 };
    const restarting = backend('c', 'restarting', { reason: lastError.message, lastError, nextRestart: { attempt: 1, of: 5, at: 0 } });
    const message = { type: 'state', state: dashboardState(state('running', [backend('a', 'connected', { tags: ['x'] }), backend('b', 'error', { reason: 'boom' }), restarting])) };
    const parsed = toWebviewSchema.parse(message);
    assert.equal(parsed.type, 'state');
    if (parsed.type !== 'state') return;
    assert.deepEqual(parsed.state.backends.map((b) => [b.name, b.status, b.toolCount, b.remote]), [['a', 'connected', 1, false], ['b', 'error', 0, false], ['c', 'restarting', 0, false]]);
    assert.equal(parsed.state.backends[2]?.reason, statusDetail(restarting), 'the words the tree and status bar use');
    assert.equal(toWebviewSchema.safeParse({ type: 'reveal', target: 'approval-1' }).success, true);
  });

  it('shows pending client requests with where they came from and every tag it may grant, sign-ins awaiting approval, and the clients', () => {
    const approval: PendingApproval = { id: 'r1', clientId: 'c1', clientName: 'Claude Code', origin: { kind: 'loopback' }, redirectUri: 'http://127.0.0.1:5000/cb', requestedTags: ['web'], availableTags: ['files', 'web', 'db'], scopeValidation: true, createdAt: 1, expiresAt: 2 };
    const fromNetwork: PendingApproval = { ...approval, id: 'r2', clientName: 'Neighbour', origin: { kind: 'network', address: '192.0.2.7' }, redirectUri: 'https://app.example/cb' };
    const client = { clientId: 'c1', clientName: 'Claude Code', redirectUris: [], grantedTags: ['web'], authorized: true, inProcess: false, registeredAt: 1 };
    const view = dashboardState(
      state('running', [backend('gh', 'awaiting_oauth', { type: 'http', authorizationUrl: 'https://gh.example/authorize?state=s' })], {
        auth: { enabled: true, scopeValidation: true },
        pendingApprovals: [approval, fromNetwork],
        pendingConnections: [{ backend: 'gh', obtainedAt: 3, scopes: ['repo'] }],
        clients: [client],
      }),
    );
    assert.deepEqual(view.approvals.map((a) => [a.clientName, a.requestedTags, a.grantableTags]), [['Claude Code', ['web'], ['db', 'files', 'web']], ['Neighbour', ['web'], ['db', 'files', 'web']]]);
    assert.deepEqual(view.approvals.map((a) => [a.from, a.warning]), [
      ['this machine', undefined],
      ['the network (192.0.2.7)', 'It came from another machine: approve only if you started it there.'],
    ]);
    assert.deepEqual(view.connections, [{ backend: 'gh', obtainedAt: 3, scopes: ['repo'] }]);
    assert.deepEqual(view.backends.map((b) => [b.remote, b.signInUrl]), [[true, 'https://gh.example/authorize?state=s']]);
    assert.deepEqual(view.clients.map((c) => [c.clientName, c.grantedTags]), [['Claude Code', ['web']]]);
    assert.ok(toWebviewSchema.safeParse({ type: 'state', state: view }).success);
  });

  it('accepts only the listed commands and well-formed decisions from the webview', () => {
    assert.ok(fromWebviewSchema.safeParse({ type: 'command', command: 'onemcp.restartBackend', arg: 'a' }).success);
    assert.ok(fromWebviewSchema.safeParse({ type: 'command', command: 'onemcp.revokeClient', arg: 'c1' }).success);
    assert.ok(fromWebviewSchema.safeParse({ type: 'ready' }).success);
    assert.equal(fromWebviewSchema.safeParse({ type: 'command', command: 'workbench.action.terminal.new' }).success, false);
    assert.equal(fromWebviewSchema.safeParse({ type: 'command', command: 'onemcp.restartBackend', arg: '' }).success, false);
    assert.equal(fromWebviewSchema.safeParse('ready').success, false);
    assert.ok(fromWebviewSchema.safeParse({ type: 'decideApproval', id: 'r1', approve: true, tags: ['web'] }).success);
    assert.equal(fromWebviewSchema.safeParse({ type: 'decideApproval', id: 'r1', approve: 'yes', tags: [] }).success, false);
    assert.equal(fromWebviewSchema.safeParse({ type: 'decideApproval', id: 'r1', approve: true, tags: [''] }).success, false);
    assert.ok(fromWebviewSchema.safeParse({ type: 'decideConnection', backend: 'gh', approve: false }).success);
    assert.equal(fromWebviewSchema.safeParse({ type: 'decideConnection', backend: '', approve: true }).success, false);
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

describe('clients view: the tools each client sees', () => {
  const tools = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `t${i}` }));
  const backends = [backend('gh', 'connected', { tools: tools(100), tags: ['code'] }), backend('mail', 'connected', { tools: tools(40), tags: ['mail'] }), backend('off', 'error', { tools: tools(5) })];
  const editor: EditorClientView = { name: 'Visual Studio Code', toolMode: 'auto' };
  const rows = (extra: Partial<AgentState>, e = editor) => clientRows(state('running', backends, extra), e).map((r) => [r.key, r.view.label, r.view.description, r.view.contextValue]);

  it('names VS Code’s own client with what it would see under its tool mode, until it connects', () => {
    assert.deepEqual(rows({}), [['editor:', 'Visual Studio Code (this editor)', 'not connected; would see 140 tools via search', 'editor']]);
    assert.deepEqual(rows({}, { ...editor, toolMode: 'all' })[0]?.[2], 'not connected; would see 140 tools');
    assert.deepEqual(clientRows(state('stopped'), editor), []);
  });

  it('lists connected clients with their tools; the editor’s own sessions take its row', () => {
    const connectedClients = [
      { name: 'Visual Studio Code', sessions: 1, tools: 140, search: true },
      { name: 'claude-code', sessions: 2, tools: 40, search: false },
    ];
    assert.deepEqual(rows({ connectedClients }), [
      ['session:Visual Studio Code:140:true', 'Visual Studio Code (this editor)', '140 tools via search', 'session'],
      ['session:claude-code:40:false', 'claude-code', '40 tools', 'session'],
    ]);
  });

  it('adds the tools to a registered client’s row, and the editor’s forecast to its in-process client under its grant', () => {
    const base = { redirectUris: [], authorized: true, registeredAt: 0 };
    const clients = [
      { ...base, clientId: 'c1', clientName: 'Claude Code', grantedTags: ['mail'], inProcess: false },
      { ...base, clientId: 'vs', clientName: 'Visual Studio Code', grantedTags: ['mail'], inProcess: true },
    ];
    const auth = { enabled: true, scopeValidation: true };
    const connectedClients = [{ name: 'claude-code', clientId: 'c1', sessions: 1, tools: 40, search: false }];
    assert.deepEqual(rows({ auth, clients, connectedClients }), [
      ['c1', 'Claude Code', '#mail · 40 tools', 'client:authorized'],
      ['vs', 'Visual Studio Code', '#mail · not connected; would see 40 tools', 'client:authorized'],
    ]);
  });
});

describe('notification texts', () => {
  const approval: PendingApproval = { id: 'r1', clientId: 'c1', clientName: 'Claude Code', origin: { kind: 'loopback' }, redirectUri: 'http://127.0.0.1:5000/cb', requestedTags: ['web', 'files'], availableTags: [], scopeValidation: true, createdAt: 1, expiresAt: 2 };

  it('name the client (as its claim), where the request came from, the tags it asks for and where it returns', () => {
    assert.equal(approvalRequestText(approval), '1MCP: From this machine: "Claude Code" asks for access to tags web, files. It will return to http://127.0.0.1:5000/cb.');
    assert.equal(approvalRequestText({ ...approval, requestedTags: [] }), '1MCP: From this machine: "Claude Code" asks for access to your MCP servers (no particular tags). It will return to http://127.0.0.1:5000/cb.');
    assert.equal(approvalRequestText({ ...approval, origin: { kind: 'in-process' }, redirectUri: undefined, clientName: 'code-server', requestedTags: ['web'] }), '1MCP: VS Code’s own MCP client ("code-server") asks for access to tag web.');
  });

  it('say that a request came from another machine, with its address, and what approving it means', () => {
    const network = { ...approval, origin: { kind: 'network', address: '192.0.2.7' }, redirectUri: 'https://app.example/cb' } as const;
    assert.equal(
      approvalRequestText(network),
      '1MCP: From the network (192.0.2.7): "Claude Code" asks for access to tags web, files. It will return to https://app.example/cb. It came from another machine: approve only if you started it there.',
    );
    assert.match(approvalRequestText({ ...network, origin: { kind: 'relayed', for: '203.0.113.9' } }), /^1MCP: From the network \(203\.0\.113\.9, relayed by a proxy on this machine\): "Claude Code" asks .* It came from another machine/);
  });

  it('say how a request ended, and ask to connect a backend after its sign-in', () => {
    assert.equal(approvalOutcomeText('Claude Code', 'expired'), '1MCP: the request from "Claude Code" expired before anyone decided.');
    assert.match(connectionPromptText({ backend: 'gh', obtainedAt: 1, scopes: ['repo'] }), /^1MCP: Connect gh\? You signed in at the service \(scopes: repo\)\./);
  });
});

describe('tool integrity in the views', () => {
  const review: ToolReview = { server: 'notes', tool: 'read/notes', change: 'changed', pinned: { name: 'read/notes' }, offered: { name: 'read/notes', description: 'x' }, hash: `sha256:${'ab'.repeat(32)}`, since: 1 };

  it('say which server changed or added which tool, and ask about a call with its arguments on one line', () => {
    assert.equal(toolReviewText(review), '1MCP: notes changed read/notes. It is held back from every client until you accept it.');
    assert.equal(toolReviewText({ ...review, change: 'added' }), '1MCP: notes offers a new tool read/notes. It is held back from every client until you accept it.');
    const pending = { id: 'c1', server: 'notes', tool: 'delete_notes', client: 'Claude Code', arguments: '{\n  "reason": "x"\n}', remembers: true, since: 1 };
    assert.equal(confirmationText(pending), '1MCP: Allow Claude Code to run notes › delete_notes? Arguments: { "reason": "x" }');
    assert.match(confirmationText({ ...pending, arguments: 'y'.repeat(400) }), /y{300}…$/);
  });

  it('show a held tool under its backend with its own icon and context value, and count it on the backend', () => {
    const item = heldToolItem(review);
    assert.deepEqual([item.label, item.description, item.icon.id, item.contextValue], ['read/notes', 'held: changed', 'workspace-untrusted', 'heldTool']);
    const row = backendItem(backend('notes', 'connected'), 1);
    assert.match(row.description ?? '', /1 tool · 1 held/);
    assert.equal(backendItem(backend('idle', 'disabled'), 1).collapsible, true);
    assert.equal(toolDiffPath(review, 'offered'), '/notes/read%2Fnotes/abababababab/offered.json');
    const keys = contextKeys(state('running', [], { toolReviews: [review] }));
    assert.equal(keys['onemcp.hasHeldTools'], true);
    const dashboard = dashboardState(state('running', [], { toolReviews: [review] }));
    assert.deepEqual(dashboard.heldTools, [{ server: 'notes', tool: 'read/notes', change: 'changed', since: 1, arg: 'notes/read/notes' }]);
    assert.ok(toWebviewSchema.safeParse({ type: 'state', state: dashboard }).success);
    assert.ok(fromWebviewSchema.safeParse({ type: 'command', command: 'onemcp.acceptToolChange', arg: 'notes/read/notes' }).success);
  });
});
