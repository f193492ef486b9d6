import type { ActivityFilter } from '../core/activity/activityRecord';
import type { BackendState } from '../core/state/agentState';
import type { ActivityView } from './activityTree';
import type { AgentHost } from './agentHost';
import type { BackendLogs } from './backendLogs';
import type { ConfigFile } from './configFile';
import { setDisabled } from '../core/config/configEdits';
import type { Dashboard } from './dashboardPanel';
import type { StoredInputs } from './storedInputs';
import type { ToolReview } from '../core/integrity/toolPins';
import type { ToolReviews } from './toolReviews';

/**
 * What command handlers work with. Built once in `activate`; the UI flows that need `vscode` sit
 * behind `flows`, so this table (and its test against package.json) loads on plain Node.
 */
export interface Services {
  readonly host: AgentHost;
  readonly inputs: StoredInputs;
  readonly config: ConfigFile;
  readonly dashboard: Pick<Dashboard, 'show'>;
  readonly backendLogs: Pick<BackendLogs, 'show'>;
  readonly activity: Pick<ActivityView, 'choices' | 'setFilter' | 'clear'>;
  readonly toolReviews: Pick<ToolReviews, 'find' | 'review' | 'accept'>;
  readonly flows: {
    showLog(): void;
    addServer(): Promise<unknown>;
    addServerFromRegistry(): Promise<unknown>;
    importServers(): Promise<void>;
    connectClient(): Promise<void>;
    copyEndpointUrl(): Promise<unknown>;
    showActions(): Promise<void>;
    forgetInputs(): Promise<void>;
    pickBackend(placeHolder: string, filter: (b: BackendState) => boolean): Promise<string | undefined>;
    /** Asks which held tool to act on. */
    pickHeldTool(placeHolder: string): Promise<ToolReview | undefined>;
    /** Asks which registered client to act on; its id. */
    pickClient(placeHolder: string): Promise<string | undefined>;
    /** Asks which calls the Activity view shows. */
    pickActivityFilter(choices: readonly { readonly label: string; readonly filter: ActivityFilter }[]): Promise<ActivityFilter | undefined>;
    /** A modal question with one action; true if the user chose it. */
    confirm(message: string, action: string): Promise<boolean>;
    /** Opens a backend's sign-in page in the external browser. */
    openSignIn(backend: string, url: string): Promise<void>;
    info(message: string): void;
  };
}

export type CommandHandler = (services: Services, ...args: unknown[]) => unknown;

/**
 * Every command of the extension: id -> handler. Registered in a loop (registerCommands.ts); a unit test
 * checks it against `contributes.commands`. Backend commands take a tree node, a backend name (from
 * the dashboard) or nothing (from the palette: they ask); Revoke Client takes a Clients tree node (the
 * client id) or nothing.
 */
export const COMMANDS = {
  'onemcp.startAgent': (s) => {
    s.inputs.retry();
    return s.host.start();
  },
  'onemcp.stopAgent': (s) => s.host.stop(),
  'onemcp.restartAgent': (s) => {
    s.inputs.retry();
    return s.host.restart();
  },
  'onemcp.openConfig': (s) => s.config.open(),
  'onemcp.addServer': (s) => s.flows.addServer(),
  'onemcp.addServerFromRegistry': (s) => s.flows.addServerFromRegistry(),
  'onemcp.importServers': (s) => s.flows.importServers(),
  'onemcp.connectClient': (s) => s.flows.connectClient(),
  'onemcp.openDashboard': (s) => s.dashboard.show(),
  'onemcp.copyEndpointUrl': (s) => s.flows.copyEndpointUrl(),
  'onemcp.showLogs': (s, target) => {
    const name = backendName(target);
    if (name) return s.backendLogs.show(name);
    s.flows.showLog();
    return undefined;
  },
  'onemcp.forgetInputs': (s) => s.flows.forgetInputs(),
  'onemcp.restartBackend': async (s, target) => {
    const name = backendName(target) ?? (await s.flows.pickBackend('Restart which backend?', (b) => b.status !== 'disabled'));
    if (!name) return;
    s.inputs.retry();
    await s.host.actions.restartBackend(name);
  },
  'onemcp.enableBackend': async (s, target) => {
    const name = backendName(target) ?? (await s.flows.pickBackend('Enable which backend?', (b) => b.status === 'disabled'));
    if (name) await s.config.edit((text) => setDisabled(text, name, false));
  },
  'onemcp.disableBackend': async (s, target) => {
    const name = backendName(target) ?? (await s.flows.pickBackend('Disable which backend?', (b) => b.status !== 'disabled'));
    if (name) await s.config.edit((text) => setDisabled(text, name, true));
  },
  'onemcp.showActions': (s) => s.flows.showActions(),
  'onemcp.authorizeBackend': async (s, target) => {
    const name = backendName(target) ?? (await s.flows.pickBackend('Sign in to which backend?', (b) => b.type !== 'stdio' && b.status !== 'disabled'));
    if (!name) return;
    const url = await s.host.actions.authorizeBackend(name);
    if (url) await s.flows.openSignIn(name, url);
    else s.flows.info(`1MCP: ${name} reconnects with its stored sign-in.`);
  },
  'onemcp.signOutBackend': async (s, target) => {
    const name = backendName(target) ?? (await s.flows.pickBackend('Sign out of which backend?', (b) => b.signedIn));
    if (name) await s.host.actions.signOutBackend(name);
  },
  'onemcp.revokeClient': async (s, target) => {
    const clientId = (typeof target === 'string' && target) || (await s.flows.pickClient('Revoke which client?'));
    if (!clientId) return;
    const client = s.host.state.clients.find((c) => c.clientId === clientId);
    if (!client) throw new Error(`No registered client ${clientId}`);
    const question = `Revoke "${client.clientName}"? It loses access at once, and must ask for your approval again to come back.`;
    if (await s.flows.confirm(question, 'Revoke')) await s.host.actions.revokeClient(clientId);
  },
  'onemcp.filterActivity': async (s) => {
    const filter = await s.flows.pickActivityFilter(s.activity.choices());
    if (filter) s.activity.setFilter(filter);
  },
  'onemcp.clearActivity': (s) => s.activity.clear(),
  'onemcp.reviewToolChange': async (s, target) => {
    const review = await heldTool(s, target, 'Review which held tool?');
    if (review) await s.toolReviews.review(review);
  },
  'onemcp.acceptToolChange': async (s, target) => {
    const review = await heldTool(s, target, 'Accept which held tool?');
    if (review) await s.toolReviews.accept(review);
  },
} satisfies Record<string, CommandHandler>;

export type CommandId = keyof typeof COMMANDS;

/**
 * The held tool a command was invoked for: a Backends tree node, `server/tool` (from the dashboard), or
 * nothing (from the palette: it asks).
 */
async function heldTool(s: Services, target: unknown, placeHolder: string): Promise<ToolReview | undefined> {
  const node = target as { kind?: unknown; backend?: unknown; name?: unknown } | undefined;
  if (node?.kind === 'heldTool' && typeof node.backend === 'string' && typeof node.name === 'string') return found(s, node.backend, node.name);
  if (typeof target === 'string' && target.includes('/')) return found(s, target.slice(0, target.indexOf('/')), target.slice(target.indexOf('/') + 1));
  return s.flows.pickHeldTool(placeHolder);
}

function found(s: Services, server: string, tool: string): ToolReview {
  const review = s.toolReviews.find(server, tool);
  if (!review) throw new Error(`${server} › ${tool} is not held back (any more)`);
  return review;
}

/** The backend a command was invoked for: a Backends tree node, or a name (from the dashboard). */
export function backendName(target: unknown): string | undefined {
  if (typeof target === 'string' && target) return target;
  if (typeof target === 'object' && target !== null && 'kind' in target && target.kind === 'backend' && 'name' in target && typeof target.name === 'string') {
    return target.name;
  }
  return undefined;
}
