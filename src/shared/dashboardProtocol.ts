/**
 * The messages between the dashboard webview and the extension, in both directions: zod schemas (each
 * side validates what it receives) and the types derived from them. Imported by `webview/` and
 * `src/extension/`; depends on neither.
 */
// zod/mini: the webview bundle stays small (the classic API pulls in far more code).
import * as z from 'zod/mini';

const backendStatus = z.enum(['disabled', 'connecting', 'connected', 'awaiting_oauth', 'error']);

export const dashboardBackendSchema = z.object({
  name: z.string(),
  type: z.string(),
  status: backendStatus,
  reason: z.optional(z.string()),
  tags: z.array(z.string()),
  toolCount: z.int().check(z.nonnegative()),
});

export const dashboardStateSchema = z.object({
  phase: z.enum(['stopped', 'starting', 'running', 'stopping', 'failed']),
  endpoint: z.optional(z.string()),
  error: z.optional(z.string()),
  configError: z.optional(z.string()),
  backends: z.array(dashboardBackendSchema),
});

/** Extension -> webview. */
export const toWebviewSchema = z.discriminatedUnion('type', [z.object({ type: z.literal('state'), state: dashboardStateSchema })]);

/** The commands the dashboard may run; nothing outside this list is executed for it. */
export const DASHBOARD_COMMANDS = [
  'onemcp.restartBackend',
  'onemcp.enableBackend',
  'onemcp.disableBackend',
  'onemcp.showLogs',
  'onemcp.restartAgent',
  'onemcp.startAgent',
  'onemcp.copyEndpointUrl',
  'onemcp.openConfig',
  'onemcp.addServer',
] as const;

/** Webview -> extension. */
export const fromWebviewSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('command'), command: z.enum(DASHBOARD_COMMANDS), backend: z.optional(z.string().check(z.minLength(1))) }),
]);

export type DashboardBackend = z.infer<typeof dashboardBackendSchema>;
export type DashboardState = z.infer<typeof dashboardStateSchema>;
export type ToWebview = z.infer<typeof toWebviewSchema>;
export type FromWebview = z.infer<typeof fromWebviewSchema>;
export type DashboardCommand = (typeof DASHBOARD_COMMANDS)[number];
