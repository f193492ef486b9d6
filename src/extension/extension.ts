import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { loadConfig } from '../core/config/loadConfig';
import { setUnexpectedErrorHandler } from '../core/event';
import { urlHost } from '../core/listenAddress';
import { errorMessage, type Logger } from '../core/logger';
import { approvalElementId } from '../shared/dashboardProtocol';
import { addServerFromRegistry } from './addFromRegistry';
import { addServer } from './addServer';
import { ActivityView } from './activityTree';
import { AgentHost } from './agentHost';
import { BackendLogs } from './backendLogs';
import { createBackendsView } from './backendsTree';
import { createClientsView } from './clientsTree';
import { channelLogger } from './channelLogger';
import type { Services } from './commands';
import { ConfigFile } from './configFile';
import { connectClientFlow, refreshProxyCli } from './connectClient';
import { showConnectionPrompts } from './connectionPrompts';
import { Dashboard } from './dashboardPanel';
import { Decisions } from './decisions';
import { EditorClientTokens, type EditorTokenSource } from './editorClient';
import { tagsInUse } from './endpointUrl';
import { importServers } from './importServers';
import { reconnectEditorClient, registerMcpProvider } from './mcpProvider';
import { NotificationBroker } from './notificationBroker';
import { copyEndpointUrl, openSignIn, pickBackend, pickClient, pickHeldTool, showActions } from './quickPicks';
import { registerCommands } from './registerCommands';
import { contextKeys } from './render/contextKeys';
import { SecretStorageStore } from './secretStorageStore';
import { readSettings, type Settings } from './settings';
import { reportStartFailure } from './startFailure';
import { createStatusBar } from './statusBar';
import { StoredInputs } from './storedInputs';
import { showConfirmationPrompts } from './confirmationPrompts';
import { ToolReviews } from './toolReviews';

let host: AgentHost | undefined;

/**
 * `launch`: how dist/extension.js loaded this bundle (src/launch/extension.ts): with its V8 code cache
 * (`used`), or compiling it from source (and why), for the log line that times the start.
 */
export function activate(context: vscode.ExtensionContext, launch?: { readonly codeCache: string }): void {
  const activatedAt = performance.now();
  // The earliest a bind's outcome can be seen: Node reports it on the tick queue, which runs once the
  // extension host's turn that called activate() is over (its other extensions activating with us).
  let hostTurnMs = Number.NaN;
  process.nextTick(() => (hostTurnMs = performance.now() - activatedAt));
  const channel = vscode.window.createOutputChannel('1MCP', { log: true });
  context.subscriptions.push(channel);
  const settings = (): Settings => readSettings((key) => vscode.workspace.getConfiguration('onemcp').get(key));
  const logger = channelLogger(channel, () => settings().logLevel);
  setUnexpectedErrorHandler((error) => logger.error(`Unexpected error: ${errorMessage(error)}`));

  const secrets = new SecretStorageStore(context.secrets);
  // Client requests raise a notification; Review opens the dashboard at the request.
  const broker: NotificationBroker = new NotificationBroker({ review: (id): void => dashboard.show(approvalElementId(id)), deny: (id): Promise<void> => decisions.deny(id) }, logger);
  const agentHost: AgentHost = new AgentHost({
    logger,
    settings,
    secrets,
    broker,
    resolveInput: (id) => inputs.resolve(id),
    servedBy: { kind: 'editor', label: vscode.workspace.name ?? 'a window without a folder', pid: process.pid },
    stateFolder: context.globalStorageUri.fsPath,
    editorToken: () => editorTokens.issue(),
    onStartFailed: (error, s) => void reportStartFailure(error, s),
  });
  host = agentHost;
  // Through the agent host's store, so that a window taking over the agent has the values too.
  const inputs = new StoredInputs(agentHost.secrets, (id) => askForInput(id, settings().configPath));
  const decisions = new Decisions(agentHost, logger);
  if (settings().autoStart) {
    // First, so the config is read while the views register. Not awaited: activation must not wait
    // for the listener, let alone the backends.
    context.subscriptions.push(logListenerTiming(agentHost, channel, activatedAt, () => hostTurnMs, launch?.codeCache));
    void agentHost.start();
  } else {
    logger.info('onemcp.autoStart is off: run "1MCP: Start Agent" to start the agent.');
  }
  const config = new ConfigFile(() => agentHost.state.configPath, logger);
  const backendLogs = new BackendLogs(agentHost);
  const dashboard = new Dashboard(context.extensionUri, agentHost, decisions, logger);
  const activity = new ActivityView(agentHost);
  // Tools held back by their pins: a notification per change, the diff editor, Accept.
  const toolReviews = new ToolReviews(agentHost, logger);
  const editorTokens: EditorClientTokens = new EditorClientTokens({
    secrets: agentHost.secrets,
    source: () => editorTokenSource(agentHost),
    clientName: vscode.env.appName,
    tags: () => tagsInUse(agentHost.state).map((t) => t.tag),
    onDidReplaceToken: () => reconnectEditorClient(context.extension.id, logger),
    logger,
  });
  const services: Services = {
    host: agentHost,
    inputs,
    config,
    dashboard,
    backendLogs,
    activity,
    toolReviews,
    flows: {
      showLog: () => channel.show(),
      addServer: () => addServer(config, () => addServerFromRegistry(config, inputs, settings().registryUrl)),
      addServerFromRegistry: () => addServerFromRegistry(config, inputs, settings().registryUrl),
      importServers: () => importServers(config, context.globalStorageUri),
      connectClient: () =>
        connectClientFlow({ endpoint: () => agentHost.state.endpoint ?? `http://${urlHost(settings().host)}:${settings().port}/mcp`, settings, extensionPath: context.extensionPath, logger }),
      copyEndpointUrl: () => copyEndpointUrl(agentHost),
      showActions: () => showActions(agentHost),
      forgetInputs: () => forgetInputs(inputs),
      pickBackend: (placeHolder, filter) => pickBackend(agentHost, placeHolder, filter),
      pickClient: (placeHolder) => pickClient(agentHost, placeHolder),
      pickActivityFilter: async (choices) => (await vscode.window.showQuickPick(choices, { placeHolder: 'Show which calls?' }))?.filter,
      pickHeldTool: (placeHolder) => pickHeldTool(agentHost, placeHolder),
      confirm: async (message, action) => (await vscode.window.showWarningMessage(message, { modal: true }, action)) === action,
      openSignIn,
      info: (message) => void vscode.window.showInformationMessage(message),
    },
  };
  context.subscriptions.push(
    broker,
    backendLogs,
    dashboard,
    editorTokens,
    agentHost.events.onDidChangeState((state) => editorTokens.handleState(state)),
    // Requests at an agent another window serves: this window shows them too (the first decision wins).
    agentHost.events.onDidRequestApproval((approval) => broker.requested(approval)),
    agentHost.events.onDidSettleApproval(({ id, outcome }) => broker.settled(id, outcome)),
    showConnectionPrompts(agentHost, (backend, approve) => decisions.connect(backend, approve)),
    toolReviews,
    showConfirmationPrompts(agentHost, logger),
    registerCommands(services, logger),
    createBackendsView(agentHost),
    createClientsView(agentHost, () => ({ name: vscode.env.appName, toolMode: settings().editorToolMode })),
    activity.register(),
    createStatusBar(agentHost),
    registerMcpProvider(agentHost, editorTokens, () => settings().editorToolMode, logger),
    syncContextKeys(agentHost),
    restartOnSettingsChange(agentHost, logger),
  );

  // Clients connected through `onemcp proxy` run a copy of the bridge: bring it up to date (off the activation path).
  void refreshProxyCli(context.extensionPath).catch((error: unknown) => logger.warn(`Could not update the bridge that connected clients run: ${errorMessage(error)}`));
  channel.info(`Activated in ${(performance.now() - activatedAt).toFixed(1)} ms`);
}

/** Closes the agent and every backend process; VS Code waits for this before the window goes. */
export function deactivate(): Promise<void> | undefined {
  const closing = host?.close();
  host = undefined;
  return closing;
}

function editorTokenSource(agentHost: AgentHost): EditorTokenSource {
  const agent = agentHost.serving;
  if (agent) return { local: agent };
  if (agentHost.state.role === 'following') return { remote: () => agentHost.remoteEditorToken() };
  throw new Error('The agent is not running: start it first.');
}

async function askForInput(id: string, configPath: string): Promise<string | undefined> {
  const definition = await loadConfig(configPath).then(
    (config) => config.inputs.find((input) => input.id === id),
    () => undefined,
  );
  return vscode.window.showInputBox({
    title: `1MCP: \${input:${id}}`,
    prompt: definition?.description ?? `Value for \${input:${id}} in ${path.basename(configPath)}; kept in the OS keychain, asked only once`,
    password: true,
    ignoreFocusOut: true,
  });
}

async function forgetInputs(inputs: StoredInputs): Promise<void> {
  const count = await inputs.forgetAll();
  const message = count ? `1MCP: forgot ${count} stored input${count === 1 ? '' : 's'}. Restart the agent to be asked again.` : '1MCP: no stored inputs.';
  const choice = await vscode.window.showInformationMessage(message, ...(count ? ['Restart Agent'] : []));
  if (choice) await vscode.commands.executeCommand('onemcp.restartAgent');
}

function syncContextKeys(agentHost: AgentHost): vscode.Disposable {
  const current = new Map<string, unknown>();
  const sync = (): void => {
    for (const [key, value] of Object.entries(contextKeys(agentHost.state))) {
      if (current.get(key) === value) continue;
      current.set(key, value);
      void vscode.commands.executeCommand('setContext', key, value);
    }
  };
  sync();
  return agentHost.events.onDidChangeState(sync);
}

/** Restarts the agent when a setting it was built from changes, or when trust makes workspace values count. */
function restartOnSettingsChange(agentHost: AgentHost, logger: Logger): vscode.Disposable {
  const check = (): void => {
    if (!agentHost.settingsChanged()) return;
    logger.info('Settings changed: restarting the agent');
    void agentHost.restart();
  };
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('onemcp')) check();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(check),
  );
}

/**
 * Logs how long after activation the agent was shown running: listening here (before any backend
 * process is spawned), or followed in the window that serves it (first from its note or `/health`,
 * then its whole state), with how long the extension host's turn took before either could be known.
 * `npm run bench` reads these lines.
 */
function logListenerTiming(agentHost: AgentHost, channel: vscode.LogOutputChannel, activatedAt: number, hostTurnMs: () => number, codeCache = 'off'): vscode.Disposable {
  let shown = false;
  const subscription = agentHost.events.onDidChangeState((state) => {
    // A start that failed (a bad config, the port held by another program) has nothing to time; a later one is no activation.
    if (state.phase === 'failed') subscription.dispose();
    if (state.phase !== 'running') return;
    const role = state.role === 'serving' ? 'serving' : 'following';
    const ms = (performance.now() - activatedAt).toFixed(1);
    if (!shown) {
      const turn = hostTurnMs();
      // A window beside a serving one shows it from that window's note before its host's turn is over.
      const when = Number.isNaN(turn) ? 'before the host\'s turn ended' : `host's turn ${turn.toFixed(1)} ms`;
      channel.info(`Agent listening ${ms} ms after activation (${role}; code cache ${codeCache}; ${when})`);
    }
    shown = true;
    if (state.partial) return;
    subscription.dispose();
    if (role === 'following') channel.info(`Agent's whole state shown ${ms} ms after activation (following)`);
  });
  return subscription;
}
