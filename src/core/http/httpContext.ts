import type { Request, Response } from 'express';
import type { Aggregator } from '../aggregate/aggregator';
import type { CallbackParams } from '../backends/oauth/backendOAuth';
import type { BackendSelector } from '../filter/selector';
import type { Logger } from '../logger';

/** What the HTTP layer needs from the agent. Routes take this and nothing else. */
export interface HttpContext {
  readonly hub: Aggregator;
  readonly logger: Logger;
  /** Hostnames a request's Host and Origin may name. */
  readonly allowedHosts: ReadonlySet<string>;
  /** The backend selection for a new session, from its query string (and token); throws HttpError. */
  selectorFor(req: Request, res: Response): BackendSelector;
  /** Identifies who is calling (the OAuth client id when auth is on), so sessions stay with their owner. */
  requestOwner(res: Response): string | undefined;
  /** The public, secret-free health summary. */
  health(): object;
  /** Completes a backend sign-in from its authorization server's redirect; throws HttpError. */
  completeBackendLogin(server: string, params: CallbackParams): Promise<void>;
}
