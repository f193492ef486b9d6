/**
 * The activity record: one entry per call a client makes through the agent (who, what, how long, how it
 * ended), never its arguments or result unless the config asks for arguments (`"activity": { "arguments": true }`).
 */

/** The requests that are recorded: those that do something at a server on a client's behalf. */
export const RECORDED_METHODS: ReadonlySet<string> = new Set(['tools/call', 'resources/read', 'prompts/get']);

/**
 * How a call ended: `ok`; `error` (a JSON-RPC error, or a tool result with `isError`); `cancelled` (by
 * its client, or its client went away); `refused` by the agent before it reached a server (the client's
 * selection of backends, its token's grant, or the config).
 */
export const ACTIVITY_OUTCOMES = ['ok', 'error', 'cancelled', 'refused'] as const;
export type ActivityOutcome = (typeof ACTIVITY_OUTCOMES)[number];

/** Why the agent refused a call: the selection the client connected with, its grant (scope), or the config (policy). */
export type RefusedBy = 'selection' | 'scope' | 'policy';

/** The protocol era a call came in: the handshake era (sessions, 2025-11-25 and older) or 2026-07-28 (stateless). */
export type ActivityEra = 'handshake' | '2026-07-28';

/** One call, as it is kept, served by `/activity` and shown. */
export interface ActivityRecord {
  /** When the call arrived: epoch milliseconds. */
  readonly time: number;
  /** The name the client gave in `clientInfo`. */
  readonly client?: string;
  /** With client authorization: the registered OAuth client the call's token belongs to. */
  readonly oauthClient?: { readonly id: string; readonly name: string };
  /** The handshake-era session (`Mcp-Session-Id`); a 2026-07-28 request has none. */
  readonly session?: string;
  readonly method: string;
  /** The tool, prompt or resource as the client named it. */
  readonly target: string;
  /** The backend that served it (or would have). */
  readonly server?: string;
  /** The tool, prompt or resource by the server's own name, where it differs from `target`. */
  readonly serverTarget?: string;
  /** Milliseconds from arrival to the answer. */
  readonly durationMs: number;
  readonly outcome: ActivityOutcome;
  /** What refused it, when the agent did. */
  readonly refusedBy?: RefusedBy;
  /** Why it failed, was refused or cancelled (secrets cut out). */
  readonly reason?: string;
  /** The task the call started, when its client asked for one and the server created it (a CreateTaskResult). */
  readonly task?: string;
  /** The size of the server's answer as it arrived, in bytes, when known. */
  readonly bytes?: number;
  readonly era: ActivityEra;
  /** The call's arguments with secret-looking values cut out; only with `"activity": { "arguments": true }`. */
  readonly arguments?: unknown;
}

/** Which records a reader asks for; names match case-insensitively. */
export interface ActivityFilter {
  /** The client's `clientInfo` name or its registered OAuth client's name. */
  readonly client?: string;
  readonly server?: string;
}

/** Whether `record` is one `filter` asks for. */
export function matchesFilter(record: ActivityRecord, filter: ActivityFilter): boolean {
  const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();
  if (filter.client !== undefined && !same(record.client, filter.client) && !same(record.oauthClient?.name, filter.client)) return false;
  return filter.server === undefined || same(record.server, filter.server);
}

/** Whether a record counts as a failure (the status bar counts them): anything but ok and cancelled. */
export function isFailure(record: ActivityRecord): boolean {
  return record.outcome === 'error' || record.outcome === 'refused';
}

/** Who a record names as the client: its `clientInfo` name, else its OAuth client's name. */
export function clientLabel(record: ActivityRecord): string {
  return record.client ?? record.oauthClient?.name ?? 'unknown client';
}

/** `server › target` as every view writes it. */
export function targetLabel(record: ActivityRecord): string {
  return record.server === undefined ? record.target : `${record.server} › ${record.serverTarget ?? record.target}`;
}

/**
 * How the activity record changed: a call was recorded, or it was `reset` (history read back from the
 * file, or a window started following an agent and received its record).
 */
export type ActivityChange = { readonly kind: 'recorded'; readonly record: ActivityRecord } | { readonly kind: 'reset' };
