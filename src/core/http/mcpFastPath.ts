import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { AccessGrant } from '../auth/tokenService';
import { isModernEnvelope, namesStatelessRevision } from './modern/modernEndpoint';
import { authenticatedConnection } from './connectionLimits';
import { sendError } from './errorHandler';
import { hostRefusal } from './hostGuard';
import type { HttpContext } from './httpContext';
import { BODY_ERRORS, MAX_BODY_BYTES } from './bodyLimits';
import type { McpRoute } from './mcpRoute';
import { acceptedGrant, sessionOwner } from './oauth/bearerAuth';
import { isLoopbackPeer } from './peer';

const JSON_TYPE = /^application\/(?:json|[^;\s]+\+json)\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** Who is calling, as the Express chain would have established it. */
interface Caller {
  readonly grant?: AccessGrant;
  readonly owner?: string;
}

/**
 * The hot path beside Express, for the POSTs to `/mcp` that every proxied call makes: one in an open
 * session (a handshake client); a 2026-07-28 request and the `initialize` that opens a session, both
 * without a query string. Each is checked as the Express chain checks it — Host and Origin, then a
 * loopback peer without client authorization or a live token for this resource with it, a JSON body
 * within the limit, the session's owner — and served without Express's per-request work (about a
 * tenth of the agent's CPU per proxied call), and without Express loaded at all until a request needs
 * it (createApp).
 * Whatever it does not take (another method or path, any refusal, an unknown session, a query string
 * to read) goes to `app`, which answers it in full: a body already read travels as `req.body`, which
 * the JSON parser leaves as it is (the stream has ended).
 */
export function withMcpFastPath(app: RequestListener, context: HttpContext, mcp: McpRoute): RequestListener {
  return (req, res) => {
    const caller = checkedCaller(req, context);
    if (!caller) {
      app(req, res);
      return;
    }
    readJson(req, res, (body) => {
      const sessionId = req.headers['mcp-session-id'];
      if (isModernEnvelope(body)) {
        if (sessionId === undefined && req.url === '/mcp') return serveWithoutExpress(req, res, body, caller, context, (rq, rs) => mcp.modern(rq, rs));
      } else if (typeof sessionId === 'string') {
        const entry = mcp.session(sessionId, caller.owner);
        if (entry) return entry.transport.handlePost(req, res, body);
      } else if (sessionId === undefined && req.url === '/mcp' && isInitializeRequest(body) && !namesStatelessRevision(req.headers)) {
        return serveWithoutExpress(req, res, body, caller, context, (rq, rs) => mcp.open(rq, rs, body));
      }
      Object.assign(req, { body });
      app(req, res);
    });
  };
}

/** The caller of a POST the fast path may take, or undefined for anything Express must see. */
function checkedCaller(req: IncomingMessage, context: HttpContext): Caller | undefined {
  const url = req.url ?? '';
  if (req.method !== 'POST' || (url !== '/mcp' && !url.startsWith('/mcp?'))) return undefined;
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '') || req.headers['content-encoding'] !== undefined) return undefined;
  if (hostRefusal(req, context.allowedHosts) !== undefined) return undefined;
  const { auth } = context;
  if (!auth) return isLoopbackPeer(req) ? {} : undefined;
  if (!auth.server.isReady) return undefined;
  const grant = acceptedGrant(req, auth);
  if (grant) authenticatedConnection(req.socket);
  return grant && { grant, owner: sessionOwner(grant) };
}

/**
 * A 2026-07-28 request or a handshake-era `initialize`, given what their handlers read of Express's
 * objects: the parsed body, an empty query (there is none: the fast path takes only `/mcp` itself) and
 * the caller's grant.
 */
function serveWithoutExpress(req: IncomingMessage, res: ServerResponse, body: unknown, caller: Caller, context: HttpContext, handle: (req: Request, res: Response) => void | Promise<void>): void {
  Object.assign(req, { body, query: {} });
  Object.assign(res, { locals: { oauthGrant: caller.grant } });
  const failed = (error: unknown): void => sendError(error, req.method, '/mcp', res, context.logger);
  try {
    void handle(req as Request, res as Response)?.catch(failed);
  } catch (error) {
    failed(error);
  }
}

/** Reads a JSON body up to the limit; answers 413 or 400 (as the Express parser does) itself. */
function readJson(req: IncomingMessage, res: ServerResponse, use: (body: unknown) => void): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    fail(req, res, BODY_ERRORS.tooLarge);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) fail(req, res, BODY_ERRORS.tooLarge);
    else chunks.push(chunk);
  });
  req.once('end', () => {
    if (res.headersSent) return;
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks, size).toString('utf8'));
    } catch {
      fail(req, res, BODY_ERRORS.parse);
      return;
    }
    use(body);
  });
}

function fail(req: IncomingMessage, res: ServerResponse, error: { readonly status: number; readonly body: object }): void {
  if (res.headersSent) return;
  const text = JSON.stringify(error.body);
  res.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), connection: 'close' });
  res.end(text);
  req.resume();
}
