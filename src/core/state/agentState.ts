import type { ConnectedClient } from '../sessions/connectedClients';
import type { PendingApproval } from '../auth/approvalBroker';
import type { AuthClientSummary } from '../auth/clientSummary';
import type { BackendStatus } from '../backends/backendStatus';
import type { BackendError, RestartPlan } from '../backends/backendFailure';
import type { PendingConnection } from '../backends/oauth/backendOAuth';
import type { TransportType } from '../config/words';
import type { PendingConfirmation } from '../integrity/callConfirmations';
import type { ToolReview } from '../integrity/toolPins';
import type { ListenAddress } from '../listenAddress';

/** One tool as the UI lists it under its backend. */
export interface ToolSummary {
  /** The name clients see. */
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
}

/** A backend as every view renders it. */
export interface BackendState {
  readonly name: string;
  readonly type: TransportType;
  readonly status: BackendStatus;
  /** Why it is in `error`, `restarting` or `awaiting_oauth`. Views show `statusDetail()` of the state. */
  readonly reason?: string;
  /** Why it last failed (kept across automatic restarts, also once it is connected again). */
  readonly lastError?: BackendError;
  /** The restart it waits for, while `restarting`. */
  readonly nextRestart?: RestartPlan;
  /** The last lines the process wrote to stderr (stdio backends), secrets cut out. */
  readonly stderr: readonly string[];
  readonly tags: readonly string[];
  readonly disabledTools: readonly string[];
  readonly tools: readonly ToolSummary[];
  /** How many tools it offers, where their names are not known (an agent observed through `/health`). */
  readonly toolCount?: number;
  readonly restarts: number;
  /** Epoch milliseconds of the last successful connection. */
  readonly lastConnectedAt?: number;
  /** Whether it connects with a stored OAuth sign-in (so Sign Out applies). */
  readonly signedIn: boolean;
  /** The service's sign-in page of the latest login started, while the backend awaits OAuth. */
  readonly authorizationUrl?: string;
  /** Name collisions and similar problems worth showing. */
  readonly warnings: readonly string[];
}

export type AgentPhase = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

/** The process that serves the agent: a VS Code window's extension host, or the headless CLI. */
export interface ServedBy {
  readonly kind: 'editor' | 'cli';
  /** What a person recognises it by: the window's folder or workspace name, or "1MCP CLI". */
  readonly label: string;
  readonly pid: number;
}

/** Who serves, as the log names it. */
export function describeServedBy(servedBy: ServedBy | undefined): string {
  if (!servedBy) return 'another process';
  return servedBy.kind === 'cli' ? `the 1MCP CLI (pid ${servedBy.pid})` : `the VS Code window “${servedBy.label}” (pid ${servedBy.pid})`;
}

/**
 * How the process showing a state relates to the agent: it serves it, follows it (another window
 * serves it; this one shows its state and acts on it), or observes it read-only (the CLI serves it).
 */
export type AgentRole = 'serving' | 'following' | 'observing';

/** An immutable snapshot of everything the agent shows; views render this and nothing else. */
export interface AgentState {
  readonly phase: AgentPhase;
  /** Why the agent is `failed`, or why the last config reload was refused. */
  readonly error?: string;
  readonly configError?: string;
  readonly configPath: string;
  readonly host: string;
  readonly port: number;
  /** The `/mcp` URL clients on this machine use (or the external URL), once listening. */
  readonly endpoint?: string;
  /** Where the socket is bound and every URL that reaches it, once listening. */
  readonly listening?: ListenAddress;
  readonly sessions: number;
  readonly backends: readonly BackendState[];
  /** Backend sign-ins finished at the service, waiting for the user to approve the connection. */
  readonly pendingConnections: readonly PendingConnection[];
  /** Client authorization switches (`--enable-auth`, `--enable-scope-validation`). */
  readonly auth: { readonly enabled: boolean; readonly scopeValidation: boolean };
  /** Authorization requests waiting for the user; decide with `Agent.decideApproval`. */
  readonly pendingApprovals: readonly PendingApproval[];
  /** Registered OAuth clients with their granted tags and last use; revoke with `Agent.revokeClient`. */
  readonly clients: readonly AuthClientSummary[];
  /** Tools held back until the user accepts their new or changed definition; accept with `acceptTools`. */
  readonly toolReviews: readonly ToolReview[];
  /** Calls waiting for the user's yes (`confirm`); answer with `answerConfirmation` (the first answer wins). */
  readonly pendingConfirmations: readonly PendingConfirmation[];
  /** Clients with open sessions and the tools each sees; known where the agent runs (and its followers). */
  readonly connectedClients?: readonly ConnectedClient[];
  /** Who serves the agent, once it listens somewhere. */
  readonly servedBy?: ServedBy;
  /** This process's part in it, once the agent listens somewhere; see {@link AgentRole}. */
  readonly role?: AgentRole;
  /** Why the agent is stopped, when it was not this process's doing (e.g. "stopped in window X"). */
  readonly note?: string;
  /**
   * Only what the agent's `/health` tells (backends, their status and tool counts): a following window
   * shows this while its control channel opens, then the whole state.
   */
  readonly partial?: true;
}

/** The state of an agent that runs nowhere (yet, or any more): what it would serve, and where. */
export function idleState(where: Pick<AgentState, 'configPath' | 'host' | 'port' | 'auth'>): AgentState {
  const { configPath, host, port, auth } = where;
  return { phase: 'stopped', configPath, host, port, sessions: 0, backends: [], pendingConnections: [], auth, pendingApprovals: [], clients: [], toolReviews: [], pendingConfirmations: [] };
}
