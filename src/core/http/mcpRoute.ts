import type { Request, RequestHandler, Response } from 'express';
import { isInitializeRequest, type InitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { ProxySession } from '../sessions/proxySession';
import { isModernTraffic, modernEndpoint } from './modern/modernEndpoint';
import type { HttpContext } from './httpContext';
import { JSONRPC_INVALID_REQUEST, JSONRPC_SESSION_ERROR, jsonRpcErrorBody } from '../httpError';
import { sessionOwner } from './oauth/bearerAuth';
import { sessionClient, type CappedSession, type SessionCap } from './sessionCap';
import { StreamableHttpServerTransport } from './streamableHttpTransport';

interface SessionEntry extends CappedSession {
  readonly transport: StreamableHttpServerTransport;
  readonly session: ProxySession;
  /** Who opened the session (the OAuth client), when auth is on; nobody else may use it. */
  readonly owner?: string;
  lastSeen: number;
}

/** A session nobody has used for this long is closed; its client gets 404 and starts a new one. */
const SESSION_IDLE_MS = 60 * 60_000;

/**
 * `POST/GET/DELETE /mcp`: the streamable HTTP endpoint, dual-era and classified per request. A POST
 * whose body carries the 2026-07-28 envelope is served statelessly (see {@link modernEndpoint});
 * otherwise it is the handshake era (MCP 2025-11-25 Transports): an `initialize` without a session
 * opens one, with the backend selection the query string asks for; every other request names its
 * session in `Mcp-Session-Id`; an unknown session is 404.
 */
export interface McpRoute {
  readonly post: RequestHandler;
  readonly get: RequestHandler;
  readonly delete: RequestHandler;
  /** Opens a handshake-era session with its `initialize` (its body parsed); see mcpFastPath.ts. */
  open(req: Request, res: Response, body: InitializeRequest): Promise<void>;
  /** Serves a 2026-07-28 request (its body parsed); see mcpFastPath.ts. */
  modern(req: Request, res: Response): void;
  /** The open handshake-era session `id` if `owner` opened it (see mcpFastPath.ts), marked as used. */
  session(id: string, owner: string | undefined): { readonly transport: StreamableHttpServerTransport } | undefined;
}

export function mcpRoute(context: HttpContext, cap: SessionCap): McpRoute {
  const sessions = new Map<string, SessionEntry>();
  const modern = modernEndpoint(context, cap);

  const session = (id: string, owner: string | undefined): SessionEntry | undefined => {
    const entry = sessions.get(id);
    if (!entry || entry.owner !== owner) return undefined;
    entry.lastSeen = Date.now();
    cap.touch(entry);
    return entry;
  };

  const existing = (req: Request, res: Response): SessionEntry | undefined => {
    const id = req.header('mcp-session-id');
    if (!id) {
      res.status(400).json(jsonRpcErrorBody(JSONRPC_INVALID_REQUEST, 'Bad Request: Mcp-Session-Id header is required'));
      return undefined;
    }
    const entry = session(id, context.requestOwner(res));
    if (!entry) res.status(404).json(jsonRpcErrorBody(JSONRPC_SESSION_ERROR, 'Session not found'));
    return entry;
  };

  // A revoked grant ends its sessions at once, open event streams included.
  context.auth?.server.onDidRevokeGrant((grant) => {
    for (const entry of sessions.values()) if (entry.owner === sessionOwner(grant)) void entry.transport.close();
  });

  // Clients that vanish without DELETE would otherwise hold their sessions for ever. The sweeper runs
  // only while there are sessions: a timer left running would keep this agent in memory after it closed.
  let sweeper: NodeJS.Timeout | undefined;
  const sweepWhileOpen = (): void => {
    if (sessions.size === 0) {
      clearInterval(sweeper);
      sweeper = undefined;
    } else if (!sweeper) {
      sweeper = setInterval(() => {
        const cutoff = Date.now() - SESSION_IDLE_MS;
        for (const entry of sessions.values()) if (entry.lastSeen < cutoff) void entry.transport.close();
      }, SESSION_IDLE_MS / 4);
      sweeper.unref();
    }
  };

  // Reads of the request and response only what plain Node objects carry besides `query` and
  // `locals` (mcpFastPath.ts sets those), so that the fast path can open sessions too.
  const open = async (req: Request, res: Response, body: InitializeRequest): Promise<void> => {
    const owner = context.requestOwner(res);
    const session = new ProxySession(context.hub, context.selectorFor(req, res), { toolMode: context.toolModeFor(req), clientName: body.params.clientInfo.name, owner });
    let release = (): void => undefined;
    const transport: StreamableHttpServerTransport = new StreamableHttpServerTransport((id) => {
      const entry: SessionEntry = { transport, session, owner, client: sessionClient(req, owner), lastSeen: Date.now(), close: () => void transport.close() };
      release = cap.admit(entry);
      sessions.set(id, entry);
      sweepWhileOpen();
    });
    transport.onclose = () => {
      release();
      if (transport.sessionId) sessions.delete(transport.sessionId);
      sweepWhileOpen();
    };
    await session.connect(transport);
    transport.handlePost(req, res, body);
  };

  const post: RequestHandler = async (req, res) => {
    if (isModernTraffic(req)) {
      modern.handle(req, res);
      return;
    }
    if (req.header('mcp-session-id') !== undefined) {
      const entry = existing(req, res);
      entry?.transport.handlePost(req, res, req.body);
      return;
    }
    if (!isInitializeRequest(req.body)) {
      res.status(400).json(jsonRpcErrorBody(JSONRPC_INVALID_REQUEST, 'Bad Request: send initialize first, or name your session in Mcp-Session-Id'));
      return;
    }
    await open(req, res, req.body);
  };

  return {
    post,
    open,
    modern: (req, res) => modern.handle(req, res),
    session,
    get: (req, res) => {
      existing(req, res)?.transport.handleGet(req, res);
    },
    delete: async (req, res) => {
      const entry = existing(req, res);
      if (entry) await entry.transport.handleDelete(res);
    },
  };
}
