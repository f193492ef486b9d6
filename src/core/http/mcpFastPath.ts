import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isModernEnvelope } from '../modern/modernEndpoint';
import { hostRefusal } from './hostGuard';
import type { HttpContext } from './httpContext';
import { BODY_ERRORS, MAX_BODY_BYTES } from './jsonBody';
import type { McpRoute } from './mcpRoute';
import { acceptedGrant, sessionOwner } from './oauth/bearerAuth';
import { isLoopbackPeer } from './peer';

const JSON_TYPE = /^application\/(?:json|[^;\s]+\+json)\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * The hot path beside Express: a POST to `/mcp` in an open session (every `tools/call` of a handshake
 * client) is checked as the Express chain checks it — Host and Origin, then a loopback peer without
 * client authorization or a live token for this resource with it, the session's owner, a JSON body
 * within the limit — and handed to its session without Express's per-request work (about a tenth of
 * the agent's CPU per proxied call). Whatever it does not take (another method or path, a refusal of
 * any kind, an unknown session, a 2026-07-28 body) goes to `app`, which answers it in full: a body
 * already read travels as `req.body`, which the JSON parser leaves as it is (the stream has ended).
 */
export function withMcpFastPath(app: RequestListener, context: HttpContext, mcp: McpRoute): RequestListener {
  return (req, res) => {
    const owner = sessionPostOwner(req, context);
    if (owner === false) {
      app(req, res);
      return;
    }
    readJson(req, res, (body) => {
      const entry = isModernEnvelope(body) ? undefined : mcp.session(String(req.headers['mcp-session-id']), owner);
      if (entry) {
        entry.transport.handlePost(req, res, body);
        return;
      }
      Object.assign(req, { body });
      app(req, res);
    });
  };
}

/** The owner a session POST would be checked against, or false when it is not one the fast path takes. */
function sessionPostOwner(req: IncomingMessage, context: HttpContext): string | undefined | false {
  const url = req.url ?? '';
  if (req.method !== 'POST' || (url !== '/mcp' && !url.startsWith('/mcp?')) || typeof req.headers['mcp-session-id'] !== 'string') return false;
  if (!JSON_TYPE.test(req.headers['content-type'] ?? '') || req.headers['content-encoding'] !== undefined) return false;
  if (hostRefusal(req, context.allowedHosts) !== undefined) return false;
  const { auth } = context;
  if (!auth) return isLoopbackPeer(req) ? undefined : false;
  if (!auth.server.isReady) return false;
  const grant = acceptedGrant(req, auth);
  return grant ? sessionOwner(grant) : false;
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
