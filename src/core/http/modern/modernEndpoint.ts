import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';
import { ErrorCode, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { CallerIdentity } from '../../activity/activityRecorder';
import { CallRefused } from '../../activity/callRefused';
import { CallerView, type RoutedMethod } from '../../aggregate/callerView';
import { HttpError } from '../../httpError';
import type { CatalogView } from '../../aggregate/catalog';
import { NamedUrisByPrincipal } from '../../aggregate/namedUris';
import type { HttpContext } from '../httpContext';
import { sendJson } from '../streamableHttpTransport';
import { sessionOwner } from '../oauth/bearerAuth';
import { sessionClient, type SessionCap } from '../sessionCap';
import { SessionTools } from '../../sessions/sessionTools';
import { elicitsForms } from '../../integrity/callConfirmations';
import { sharedResult } from '../../sharedJson';
import { ListenStream, type SubscriptionFilter } from './listenStream';
import { ModernCall, PendingCalls, completed, jsonRpcError } from './modernCall';
import { ModernReply } from './modernReply';
import { parseModernRequest, type ModernRequest } from './modernRequest';
import { paramHeaderMismatch } from './paramHeaders';
import { HEADER_MISMATCH, META, SUPPORTED_VERSIONS, envelopeClaim, isModernVersion } from '../../protocol';

/** The methods that may answer `input_required` (MCP 2026-07-28 MRTR, "Supported Requests"). */
const TAKES_INPUT = new Set<string>(['tools/call', 'prompts/get', 'resources/read']);

const LISTS = { 'tools/list': 'tools', 'resources/list': 'resources', 'resources/templates/list': 'resourceTemplates', 'prompts/list': 'prompts' } as const;

/** Whether a request body (one message or a batch) claims a 2026-07-28 protocol version in `_meta`. */
export function isModernEnvelope(body: unknown): boolean {
  if (Array.isArray(body)) return body.some((m) => envelopeClaim(m) !== undefined);
  return envelopeClaim(body) !== undefined;
}

/**
 * Whether a POST to `/mcp` is 2026-07-28 traffic: its body claims a protocol version in `_meta`, or it
 * names no session and its `MCP-Protocol-Version` header names a stateless revision (then the missing
 * envelope is refused). Everything else is the handshake era's (MCP 2026-07-28 Versioning, "Backward
 * Compatibility").
 */
export function isModernTraffic(req: Request): boolean {
  return isModernEnvelope(req.body) || (req.headers['mcp-session-id'] === undefined && namesStatelessRevision(req.headers));
}

/** The `MCP-Protocol-Version` header names a 2026-07-28 (stateless) revision. */
export function namesStatelessRevision(headers: IncomingHttpHeaders): boolean {
  const header = headers['mcp-protocol-version'];
  return typeof header === 'string' && isModernVersion(header);
}

/**
 * Serves one stateless request: `server/discover`, the lists, the routed requests (with multi
 * round-trip requests for what backends ask mid-call) and `subscriptions/listen`. The selection, auth
 * and scope confinement are those of a handshake session: the same middleware ran, and the same
 * {@link CallerView} decides what the caller sees.
 */
export function modernEndpoint(context: HttpContext, cap: SessionCap): { handle(req: Request, res: Response): void } {
  const pending = new PendingCalls();
  const streams = new Set<ListenStream>();
  const ttlFree = new WeakMap<object, object>();
  // Without a session, what backends named to a caller is remembered per principal.
  const namedUris = new NamedUrisByPrincipal();

  context.auth?.server.onDidRevokeGrant((grant) => {
    const owner = sessionOwner(grant);
    pending.cancel((call) => call.key.owner === owner);
    for (const stream of streams) if (stream.owner === owner) void stream.close();
  });

  /** A list result with the fields this revision requires, built once per shared list (MCP 2026-07-28 Caching). */
  const cacheable = (list: CatalogView[keyof CatalogView]): object => {
    let result = ttlFree.get(list);
    if (!result) {
      // The lists change whenever a backend does; clients learn it on a listen stream. Private: what a
      // caller sees depends on its selection and grant.
      result = sharedResult({ ...list, resultType: 'complete', ttlMs: 0, cacheScope: 'private', _meta: { [META.serverInfo]: context.hub.clientInfo } });
      ttlFree.set(list, result);
    }
    return result;
  };

  const handle = (req: Request, res: Response): void => {
    const parsed = parseModernRequest(req.body, req.headers);
    if (parsed.kind === 'notification') {
      res.writeHead(202).end();
      return;
    }
    if (parsed.kind === 'reject') {
      sendJson(res, parsed.status, [JSON.stringify({ jsonrpc: '2.0', id: parsed.id, error: parsed.error })]);
      return;
    }
    const clientName = clientNameOf(parsed);
    const owner = context.requestOwner(res);
    const identity: CallerIdentity = { client: clientName, owner, era: '2026-07-28' };
    let view: CallerView;
    try {
      view = new CallerView(context.hub, context.selectorFor(req, res), { named: namedUris.for(owner ?? '') });
    } catch (error) {
      // A selection beyond the token's grant (403 insufficient_scope): a call refused by scope.
      const refused = error instanceof HttpError && error.code === 'insufficient_scope' ? new CallRefused('scope', error.message) : error;
      context.hub.activity?.refused(identity, { method: parsed.method, target: String(parsed.params.name ?? parsed.params.uri ?? ''), requestId: parsed.id, params: parsed.params }, refused);
      throw error;
    }
    // The tool search of a handshake session, decided per request: ?mode= or the client's config default.
    const tools = new SessionTools(context.toolModeFor(req), context.hub, () => clientName);
    const reply = new ModernReply(res, parsed.id, req, parsed.progressToken);
    const list = LISTS[parsed.method as keyof typeof LISTS];
    if (list) {
      reply.result(cacheable(tools.lists(view.lists())[list]));
    } else if (parsed.method === 'server/discover') {
      reply.result(discoverResult(context, view, tools.instructions(view.lists())));
    } else if (parsed.method === 'subscriptions/listen') {
      listen(view, reply, owner, parsed, sessionClient(req, owner));
    } else {
      forward(view, tools, reply, identity, parsed, req.headers);
    }
  };

  const listen = (view: CallerView, reply: ModernReply, owner: string | undefined, request: ModernRequest, client: string): void => {
    if (!reply.acceptsStream) {
      reply.error({ code: ErrorCode.InvalidRequest, message: 'subscriptions/listen answers with an event stream: accept text/event-stream' }, 406);
      return;
    }
    const filter = request.params.notifications;
    if (typeof filter !== 'object' || filter === null) {
      reply.error({ code: ErrorCode.InvalidParams, message: 'Invalid params: subscriptions/listen needs a "notifications" filter' }, 400);
      return;
    }
    const stream = new ListenStream(context.hub, view, reply, owner, filter as SubscriptionFilter);
    streams.add(stream);
    // A listen stream is held like a session, and counts as one.
    const release = cap.admit({ client, close: () => void stream.close() });
    reply.onClose(() => {
      release();
      streams.delete(stream);
    });
    stream.open().catch((error: unknown) => context.logger.debug(`listen: subscribing failed: ${String(error)}`));
  };

  const forward = (view: CallerView, tools: SessionTools, reply: ModernReply, identity: CallerIdentity, request: ModernRequest, headers: IncomingHttpHeaders): void => {
    const { method, params } = request;
    const target = String(params.name ?? params.uri ?? '');
    const key = { owner: identity.owner, method, target };
    // Log messages are request-scoped in this revision and the agent sends none (their level is not asked for).
    // Whether the client can be asked is read only when a call needs the user's yes (confirm).
    const caller = {
      principal: view.principal,
      sees: (backend: string) => view.sees(backend),
      wantsLog: () => false,
      identity,
      clientName: identity.client,
      get elicits() {
        return elicitsForms(request.capabilities);
      },
    };
    try {
      if (typeof params.requestState === 'string') {
        const call = pending.resume(params.requestState, key);
        if (!call) {
          reply.error({ code: ErrorCode.InvalidParams, message: 'Invalid params: requestState is unknown or has expired; send the request again without it' });
          return;
        }
        call.resume(params.inputResponses, reply);
        return;
      }
      const call = method === 'tools/call' ? tools.call(forwardedParams(params), () => view.lists()) : { params: forwardedParams(params) };
      if ('result' in call) {
        reply.result(completed(method, call.result));
        return;
      }
      const routed = view.route(method as RoutedMethod, call.params, caller, request.id);
      const mismatch = method === 'tools/call' && paramHeaderMismatch(context.hub.catalog.tools.get(target)?.item.inputSchema, params.arguments, headers);
      if (mismatch) {
        reply.error({ code: HEADER_MISMATCH, message: `Header mismatch: ${mismatch}` }, 400);
        return;
      }
      new ModernCall(pending, key, request.capabilities, TAKES_INPUT.has(method)).start(context.hub, caller, routed, reply);
    } catch (error) {
      reply.error(jsonRpcError(error));
    }
  };

  // Listen streams close with the hub (they are among its sessions); waiting calls end with their backends.
  return { handle };
}

/** The `server/discover` answer (MCP 2026-07-28 Discovery) for what this caller sees, with the tool search's part of the instructions. */
function discoverResult(context: HttpContext, view: CallerView, searchInstructions: string | undefined): object {
  // Log levels are per request in this revision, and its tasks are an extension the agent does not offer (see README).
  const { logging: _notSent, tasks: _handshakeEra, ...capabilities }: ServerCapabilities = view.capabilities();
  const instructions = [searchInstructions, view.instructions()].filter(Boolean).join('\n\n') || undefined;
  return {
    resultType: 'complete',
    supportedVersions: SUPPORTED_VERSIONS,
    capabilities,
    ...(instructions !== undefined && { instructions }),
    ttlMs: 0,
    cacheScope: 'private',
    _meta: { [META.serverInfo]: context.hub.clientInfo },
  };
}

/** The name a stateless request's client gives in its envelope (`_meta` clientInfo). */
function clientNameOf(request: ModernRequest): string | undefined {
  const info = (request.params._meta as Record<string, unknown> | undefined)?.[META.clientInfo] as { name?: unknown } | undefined;
  return typeof info?.name === 'string' ? info.name : undefined;
}

/**
 * The params a backend gets: the client's own, less the per-request protocol fields of its `_meta`
 * (the agent speaks to each backend in its own right) and the multi round-trip fields.
 */
function forwardedParams(params: Record<string, unknown>): Record<string, unknown> {
  const { _meta: meta, inputResponses: _answers, requestState: _state, ...rest } = params;
  const kept = Object.entries((meta ?? {}) as Record<string, unknown>).filter(([key]) => !key.startsWith('io.modelcontextprotocol/'));
  return kept.length > 0 ? { ...rest, _meta: Object.fromEntries(kept) } : rest;
}
