/**
 * The messages between the dashboard webview and the extension, in both directions: zod schemas (each
 * side validates what it receives) and the types derived from them. Imported by `webview/` and
 * `src/extension/`; depends on neither.
 */
// zod/mini: the webview bundle stays small (the classic API pulls in far more code).
import * as z from 'zod/mini';

export { BACKEND_STATUS_LABELS } from '../core/backends/backendStatus';

const backendStatus = z.enum(['disabled', 'connecting', 'connected', 'restarting', 'awaiting_oauth', 'error']);
const name = z.string().check(z.minLength(1));
const millis = z.number();

export const dashboardBackendSchema = z.object({
  name: z.string(),
  type: z.string(),
  status: backendStatus,
  /** Why it is not connected, or what it waits for (`statusDetail()`: the words every view uses). */
  reason: z.optional(z.string()),
  tags: z.array(z.string()),
  toolCount: z.int().check(z.nonnegative()),
  /** Connects with a stored OAuth sign-in (Sign Out applies). */
  signedIn: z.boolean(),
  /** An HTTP backend: it can be authorized (stdio backends never sign in). */
  remote: z.boolean(),
  /** The service's sign-in page of the login under way, while it awaits OAuth (to open again). */
  signInUrl: z.optional(z.string()),
});

/** A client's authorization request waiting for the user (from the agent's approval queue). */
export const dashboardApprovalSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  /** As the client registered it: a claim, not a fact. */
  clientName: z.string(),
  /** Where the request came from, as the agent's socket saw it: "this machine", "the network (192.0.2.7)". */
  from: z.string(),
  /** Set when it came from another machine: what approving it means. */
  warning: z.optional(z.string()),
  /** Absent for the editor's own MCP client (in process). */
  redirectUri: z.optional(z.string()),
  requestedTags: z.array(z.string()),
  /** Requested and configured tags, sorted: the checkboxes. */
  grantableTags: z.array(z.string()),
  expiresAt: millis,
});

/** A backend sign-in finished at the service, waiting for "connect?". */
export const dashboardConnectionSchema = z.object({ backend: z.string(), obtainedAt: millis, scopes: z.array(z.string()) });

/** A tool held back from every client until the user accepts its new or changed definition. */
export const dashboardHeldToolSchema = z.object({
  server: z.string(),
  tool: z.string(),
  change: z.enum(['changed', 'added']),
  since: millis,
  /** What the Review and Accept buttons pass to their commands: `server/tool`. */
  arg: name,
});

export const dashboardClientSchema = z.object({
  clientId: z.string(),
  clientName: z.string(),
  grantedTags: z.array(z.string()),
  authorized: z.boolean(),
  inProcess: z.boolean(),
  lastUsedAt: z.optional(millis),
});

/** One of the latest calls through the agent, as the activity record has it (never arguments or results). */
export const dashboardCallSchema = z.object({
  time: millis,
  client: z.string(),
  /** `server › tool` (or prompt, or resource). */
  target: z.string(),
  duration: z.string(),
  outcome: z.enum(['ok', 'error', 'cancelled', 'refused']),
  /** The outcome with why: `refused (scope): …`. */
  detail: z.string(),
});

export const dashboardStateSchema = z.object({
  phase: z.enum(['stopped', 'starting', 'running', 'stopping', 'failed']),
  endpoint: z.optional(z.string()),
  /** Which window or process serves the agent ("Served by this window", "Served by the 1MCP CLI…"). */
  servedBy: z.optional(z.string()),
  error: z.optional(z.string()),
  configError: z.optional(z.string()),
  backends: z.array(dashboardBackendSchema),
  auth: z.object({ enabled: z.boolean(), scopeValidation: z.boolean() }),
  approvals: z.array(dashboardApprovalSchema),
  connections: z.array(dashboardConnectionSchema),
  heldTools: z.array(dashboardHeldToolSchema),
  clients: z.array(dashboardClientSchema),
  /** The latest calls, newest first. */
  calls: z.array(dashboardCallSchema),
});

/** Extension -> webview: the state to render, or an element (by id) to scroll to and highlight. */
export const toWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: dashboardStateSchema }),
  z.object({ type: z.literal('reveal'), target: name }),
]);

/** The commands the dashboard may run; nothing outside this list is executed for it. */
export const DASHBOARD_COMMANDS = [
  'onemcp.restartBackend',
  'onemcp.enableBackend',
  'onemcp.disableBackend',
  'onemcp.showLogs',
  'onemcp.authorizeBackend',
  'onemcp.signOutBackend',
  'onemcp.revokeClient',
  'onemcp.restartAgent',
  'onemcp.startAgent',
  'onemcp.copyEndpointUrl',
  'onemcp.openConfig',
  'onemcp.addServer',
  'onemcp.reviewToolChange',
  'onemcp.acceptToolChange',
] as const;

/** Webview -> extension. */
export const fromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** `arg`: the backend name, client id or held tool (`server/tool`) the command is for. */
  z.object({ type: z.literal('command'), command: z.enum(DASHBOARD_COMMANDS), arg: z.optional(name) }),
  /** Approve with the ticked tags, or deny (tags ignored). */
  z.object({ type: z.literal('decideApproval'), id: name, approve: z.boolean(), tags: z.array(name) }),
  z.object({ type: z.literal('decideConnection'), backend: name, approve: z.boolean() }),
]);

export type DashboardBackend = z.infer<typeof dashboardBackendSchema>;
export type DashboardApproval = z.infer<typeof dashboardApprovalSchema>;
export type DashboardConnection = z.infer<typeof dashboardConnectionSchema>;
export type DashboardClient = z.infer<typeof dashboardClientSchema>;
export type DashboardCall = z.infer<typeof dashboardCallSchema>;
export type DashboardHeldTool = z.infer<typeof dashboardHeldToolSchema>;
export type DashboardState = z.infer<typeof dashboardStateSchema>;
export type ToWebview = z.infer<typeof toWebviewSchema>;
export type FromWebview = z.infer<typeof fromWebviewSchema>;
export type DashboardCommand = (typeof DASHBOARD_COMMANDS)[number];

/** Element ids the extension may reveal. */
export const approvalElementId = (id: string): string => `approval-${id}`;
export const connectionElementId = (backend: string): string => `connect-${backend}`;
export const heldToolElementId = (arg: string): string => `held-${arg}`;
