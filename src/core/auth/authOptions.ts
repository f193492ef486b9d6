import type { Clock } from '../clock';
import type { ApprovalBroker } from './approvalBroker';
import type { TokenLifetimes } from './tokenService';

/** How many requests the OAuth endpoints take per window. */
export interface RateLimitOptions {
  readonly windowMs: number;
  /** Requests per client address, on each endpoint. */
  readonly max: number;
  /** Registrations (`/register`) per network: a /24 of IPv4, a /56 of IPv6. */
  readonly registrationsPerNetwork: number;
  /** Registrations from every address together. */
  readonly registrationsOverall: number;
}

/**
 * Per 15 minutes: 100 requests per address and endpoint (the 1MCP default); registrations also 200 per
 * network and 500 in all, so that taking more addresses does not buy more.
 */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { windowMs: 15 * 60_000, max: 100, registrationsPerNetwork: 200, registrationsOverall: 500 };

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
  readonly rateLimit?: Partial<RateLimitOptions>;
}
