import type { Request } from 'express';
import { DEFAULT_RATE_LIMIT, type AuthOptions } from '../auth/authOptions';
import type { AuthorizationServer } from '../auth/authorizationServer';
import { systemClock } from '../clock';
import type { AgentConfig } from '../config/types';
import { selectorFromQuery } from '../filter/fromQuery';
import type { BackendSelector } from '../filter/selector';
import { chooseToolMode, toolModeFromQuery } from '../sessions/toolMode';
import { allowedHostnames } from './hostGuard';
import type { HttpContext } from './httpContext';
import { grantOwner } from './oauth/bearerAuth';
import type { OAuthContext } from './oauth/oauthContext';
import { selectorWithinGrant } from './oauth/selectorWithinGrant';

/** What the request policy is made of: where the agent listens, its config, its client authorization. */
export interface RequestPolicyOptions {
  /** The bind address. */
  readonly host: string;
  /** `--external-url`: its host is accepted in Host and Origin, and every advertised URL starts with it. */
  readonly externalUrl?: string;
  /** The config in force (presets, client defaults); it changes on reload. */
  readonly config: () => AgentConfig | undefined;
  /** The authorization server for clients, when auth is on. */
  readonly authServer?: AuthorizationServer;
  readonly auth?: AuthOptions;
}

/** The part of the {@link HttpContext} that decides what a request may name and gets. */
export type RequestPolicy = Pick<HttpContext, 'allowedHosts' | 'auth' | 'selectorFor' | 'toolModeFor' | 'requestOwner'>;

/**
 * How the agent treats a request: the hostnames it may name, the backends it selects (its query
 * string and the config's presets, within its token's grant), the tool mode of a new session (`?mode=`,
 * else the config's default for its client) and who owns the session it opens.
 */
export function requestPolicy(options: RequestPolicyOptions): RequestPolicy {
  const requestedSelector = (req: Request): BackendSelector => selectorFromQuery(req.query, options.config()?.presets ?? {});
  const auth: OAuthContext | undefined = options.authServer && {
    server: options.authServer,
    externalUrl: options.externalUrl,
    rateLimit: { ...DEFAULT_RATE_LIMIT, ...options.auth?.rateLimit },
    clock: options.auth?.clock ?? systemClock,
    requestedSelector,
  };
  return {
    allowedHosts: allowedHostnames(options.host, options.externalUrl),
    auth,
    selectorFor: (req, res) => (auth ? selectorWithinGrant(auth, req, res, requestedSelector(req)) : requestedSelector(req)),
    toolModeFor: (req) => {
      const asked = toolModeFromQuery(req.query);
      return (clientName) => chooseToolMode(asked, options.config()?.clients ?? {}, clientName);
    },
    requestOwner: grantOwner,
  };
}
