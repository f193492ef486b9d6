import type { Request, Response } from 'express';
import type { Aggregator } from '../aggregate/aggregator';
import type { BackendLogins } from '../backends/oauth/backendLogins';
import type { ControlOptions, ControlTarget } from './control/controlRoute';
import type { AgentState } from '../state/agentState';
import type { BackendSelector } from '../filter/selector';
import type { Logger } from '../logger';
import type { ToolModeChoice } from '../sessions/toolMode';
import type { HealthReport } from '../state/healthReport';
import type { HttpLimits } from './limits';
import type { OAuthContext } from './oauth/oauthContext';

/** What the HTTP layer needs from the agent. Routes take this and nothing else. */
export interface HttpContext {
  readonly hub: Aggregator;
  readonly logger: Logger;
  /** Hostnames a request's Host and Origin may name. */
  readonly allowedHosts: ReadonlySet<string>;
  /** The backend selection for a new session, from its query string (and token); throws HttpError. */
  selectorFor(req: Request, res: Response): BackendSelector;
  /** How a new session is offered its tools: `?mode=`, else the config's default for its client; throws HttpError 400. */
  toolModeFor(req: Request): ToolModeChoice;
  /** Identifies who is calling (the OAuth client id when auth is on), so sessions stay with their owner. */
  requestOwner(res: Response): string | undefined;
  /** The authorization server's routes and bearer check; absent when auth is off. */
  readonly auth?: OAuthContext;
  /** The secret-free health summary; `detailed` adds why backends fail (for this machine only). */
  health(detailed: boolean): HealthReport;
  /** Sign-in actions for backends that need a login (callback, dashboard). */
  readonly backendLogins: BackendLogins;
  /** The agent's current state, for pages that render it. */
  state(): AgentState;
  /** How many sessions a client and everyone may hold open (the connections are bounded in listen()). */
  readonly limits: HttpLimits;
  /** The control channel for following VS Code windows; absent for the CLI. */
  readonly control?: { readonly target: ControlTarget; readonly options: ControlOptions };
  /** The key a terminal proves to act on the agent (integrity/terminalKey.ts); undefined when the agent keeps none. */
  terminalKey(): Promise<string | undefined>;
}
