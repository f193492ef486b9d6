import type { Clock } from '../clock';
import type { ApprovalBroker } from './approvalBroker';
import type { TokenLifetimes } from './tokenService';

/** Requests per client address per window on each OAuth endpoint. */
export interface RateLimitOptions {
  readonly windowMs: number;
  readonly max: number;
}

/** 100 requests per 15 minutes per address and endpoint (the 1MCP default). */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { windowMs: 15 * 60_000, max: 100 };

/** How the agent authorizes its clients (`--enable-auth`, `--enable-scope-validation`). */
export interface AuthOptions {
  /** Require an OAuth access token the user approved on `/mcp`, `/sse` and `/messages`. */
  readonly enabled: boolean;
  /** Confine each token to the backends tagged with its granted `tag:<name>` scopes. */
  readonly scopeValidation: boolean;
  /** Announces authorization requests; default: a log line pointing at the `/oauth` dashboard. */
  readonly broker?: ApprovalBroker;
  readonly clock?: Clock;
  readonly lifetimes?: Partial<TokenLifetimes>;
  /** Seconds an authorization request waits for the user (default 600). */
  readonly approvalTimeout?: number;
  readonly rateLimit?: RateLimitOptions;
}
