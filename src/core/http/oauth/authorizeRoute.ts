import { Router, type Response } from 'express';
import * as z from 'zod';
import type { StoredClient } from '../../auth/authStore';
import { authorizationResponseUrl } from '../../auth/authorizationResponse';
import type { AuthorizationRequest } from '../../auth/authorizationServer';
import { isLoopbackRedirect, redirectUriMatches } from '../../auth/redirectUri';
import { describeRequestOrigin, isFromNetwork } from '../../auth/requestOrigin';
import { tagsOfScope } from '../../auth/scopes';
import { TAG_NAME_PATTERN } from '../../config/words';
import { HttpError } from '../../httpError';
import { sendAuthorizeError, sendWaitingPage } from './authorizePages';
import { mcpResourceUrl, publicBaseUrl, type OAuthContext } from './oauthContext';
import { rateLimit } from './rateLimit';
import { requestOriginOf } from './requestOriginOf';

const param = z.string().min(1).max(4096);
const clientSchema = z.object({ client_id: param, redirect_uri: param.optional() });
const requestSchema = z.object({
  response_type: param,
  // RFC 7636 §4.2: BASE64URL(SHA256(verifier)) is 43 characters.
  code_challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url SHA-256 challenge'),
  code_challenge_method: z.literal('S256', 'must be S256'),
  scope: z.string().max(1024).optional(),
  state: z.string().max(2048).optional(),
  resource: param.optional(),
});

/**
 * `GET /authorize` (OAuth 2.1 §4.1.1): validates the request, queues it for the user's approval and
 * shows a page that waits for the decision. An unknown client or redirect URI is shown to the user,
 * never redirected to (RFC 6749 §4.1.2.1); so is a request from the network that would return to a
 * loopback address (it would pass for a request made on this machine), and one over a quota of the
 * approval queue. Other errors go back to the client with `state` and `iss`.
 */
export function authorizeRoute(auth: OAuthContext): Router {
  const router = Router();
  router.get('/authorize', rateLimit(auth.rateLimit, auth.clock), (req, res) => {
    // A HEAD (a link preview, a prefetch) must not put a request in front of the user.
    if (req.method === 'HEAD') {
      res.setHeader('Cache-Control', 'no-store').status(200).end();
      return;
    }
    const client = clientSchema.safeParse(req.query);
    const registered = client.success ? auth.server.client(client.data.client_id) : undefined;
    if (!client.success || !registered || registered.inProcess) {
      sendAuthorizeError(res, 400, 'The application is not registered with this 1MCP agent.');
      return;
    }
    const redirectUri = chooseRedirectUri(registered, client.data.redirect_uri);
    if (!redirectUri) {
      sendAuthorizeError(res, 400, 'The redirect address is not one the application registered.');
      return;
    }
    const origin = requestOriginOf(req);
    if (isFromNetwork(origin) && isLoopbackRedirect(redirectUri)) {
      sendAuthorizeError(res, 403, loopbackFromNetwork(describeRequestOrigin(origin), redirectUri));
      return;
    }
    const issuer = publicBaseUrl(req, auth.externalUrl);
    const state = typeof req.query.state === 'string' ? req.query.state : undefined;
    const parsed = requestSchema.safeParse(req.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const error = issue?.path[0] === 'response_type' ? 'unsupported_response_type' : 'invalid_request';
      redirectWithError(res, { redirectUri, issuer, state }, error, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
      return;
    }
    const params = parsed.data;
    if (params.response_type !== 'code') {
      redirectWithError(res, { redirectUri, issuer, state }, 'unsupported_response_type', 'Only response_type=code is supported');
      return;
    }
    const resource = mcpResourceUrl(req, auth.externalUrl);
    if (params.resource !== undefined && params.resource !== resource) {
      redirectWithError(res, { redirectUri, issuer, state }, 'invalid_target', 'This server issues tokens only for its /mcp endpoint');
      return;
    }
    const requestedTags = tagsOfScope(params.scope);
    const badTag = requestedTags.find((tag) => !TAG_NAME_PATTERN.test(tag));
    if (badTag !== undefined) {
      redirectWithError(res, { redirectUri, issuer, state }, 'invalid_scope', 'Every tag: scope must name a tag: letters, digits, "_", "-", ".", ":", at most 64 characters');
      return;
    }
    const request: AuthorizationRequest = {
      client: registered,
      redirectUri,
      redirectUriSent: client.data.redirect_uri !== undefined,
      challenge: params.code_challenge,
      state: params.state,
      origin,
      resource,
      requestedTags,
      issuer,
    };
    let handle: string;
    try {
      handle = auth.server.beginAuthorization(request);
    } catch (error) {
      if (!(error instanceof HttpError) || error.status >= 500) throw error;
      sendAuthorizeError(res, error.status, error.message);
      return;
    }
    sendWaitingPage(res, request, handle);
  });
  return router;
}

/** Why a request from the network may not return to a loopback address. */
function loopbackFromNetwork(from: string, redirectUri: string): string {
  return `This request came from ${from}, but the application would return to ${redirectUri}, a loopback address. ` +
    'An approval for it would read like one for an application on this machine, so 1MCP does not ask for it. ' +
    'An application on another machine must register a redirect address of its own (https, or its own URL scheme), ' +
    'or reach 1MCP through a tunnel to this machine (ssh -L).';
}

/** The redirect URI to use: the one sent if registered (loopback on any port), else the only one registered. */
function chooseRedirectUri(client: StoredClient, sent: string | undefined): string | undefined {
  if (sent !== undefined) return client.redirectUris.some((r) => redirectUriMatches(sent, r)) ? sent : undefined;
  return client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
}

function redirectWithError(res: Response, to: { redirectUri: string; issuer: string; state?: string }, error: string, description: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.redirect(302, authorizationResponseUrl(to.redirectUri, { error, error_description: description }, to));
}
