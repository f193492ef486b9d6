import type { BackendStatus } from '../backends/backendStatus';
import type { TransportType } from '../config/words';
import type { AgentState, BackendState } from './agentState';

/** One backend in `GET /health`. Times are ISO 8601; nothing secret (its backend cut them out: SecretValues). */
export interface HealthBackend {
  readonly name: string;
  readonly type: TransportType;
  readonly status: BackendStatus;
  readonly tools: number;
  /** Automatic restarts since it last stayed up, or since the user restarted it. */
  readonly restarts: number;
  /** Why it is in `error`, `restarting` or `awaiting_oauth`. This and the two below: only for this machine. */
  readonly reason?: string;
  /** Why it last failed: the message, how its process ended, the last line it wrote to stderr. */
  readonly lastError?: { readonly message: string; readonly exitCode?: number; readonly signal?: string; readonly stderr?: string; readonly at: string };
  /** While `restarting`: which attempt comes next, out of how many, and when. */
  readonly nextRestart?: { readonly attempt: number; readonly of: number; readonly at: string };
}

/** The body of `GET /health`: liveness, client sessions, and every backend in config order. */
export interface HealthReport {
  readonly status: 'ok';
  readonly version: string;
  readonly sessions: number;
  /** What serves the agent (a VS Code window or the CLI) and its process id: windows show it when they follow. */
  readonly servedBy?: { readonly kind: 'editor' | 'cli'; readonly pid: number };
  /** The config file it serves (only for this machine): `onemcp list` tells its agent from another. */
  readonly configPath?: string;
  readonly backends: readonly HealthBackend[];
}

/**
 * The health report for a state: no commands, arguments, headers, tokens or other secrets. Why backends
 * fail (`reason`, `lastError`, `nextRestart`: messages, paths, URLs) is `detailed` only, for the user at
 * this machine, like the dashboard: `/health` asks no token. (An MCP client calling a backend that is down
 * is told why in its error: it is one the user approved, or, without authorization, on this machine.)
 */
export function healthReport(state: AgentState, version: string, detailed: boolean): HealthReport {
  return {
    status: 'ok',
    version,
    sessions: state.sessions,
    ...(state.servedBy && { servedBy: { kind: state.servedBy.kind, pid: state.servedBy.pid } }),
    ...(detailed && { configPath: state.configPath }),
    backends: state.backends.map((b) => ({
      name: b.name,
      type: b.type,
      status: b.status,
      tools: b.tools.length,
      restarts: b.restarts,
      ...(detailed && whyItFails(b)),
    })),
  };
}

function whyItFails(b: BackendState): Pick<HealthBackend, 'reason' | 'lastError' | 'nextRestart'> {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    ...(b.reason !== undefined && { reason: b.reason }),
    ...(b.lastError && { lastError: { ...b.lastError, at: iso(b.lastError.at) } }),
    ...(b.nextRestart && { nextRestart: { ...b.nextRestart, at: iso(b.nextRestart.at) } }),
  };
}
