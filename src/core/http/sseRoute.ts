import { Router } from 'express';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { ProxySession } from '../sessions/proxySession';
import type { HttpContext } from './httpContext';
import { JSONRPC_SESSION_ERROR, jsonRpcErrorBody } from '../httpError';
import { sessionOwner } from './oauth/bearerAuth';
import { sessionClient, type CappedSession, type SessionCap } from './sessionCap';

interface SseEntry extends CappedSession {
  readonly transport: SSEServerTransport;
  readonly owner?: string;
}

/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05) for older clients: `GET /sse` opens the event stream
 * and announces `POST /messages?sessionId=…` as the endpoint for client messages.
 */
export function sseRoute(context: HttpContext, cap: SessionCap): Router {
  const sessions = new Map<string, SseEntry>();
  const router = Router();
  context.auth?.server.onDidRevokeGrant((grant) => {
    for (const entry of sessions.values()) if (entry.owner === sessionOwner(grant)) void entry.transport.close();
  });

  router.get('/sse', async (req, res) => {
    const owner = context.requestOwner(res);
    const session = new ProxySession(context.hub, context.selectorFor(req, res), { toolMode: context.toolModeFor(req), owner });
    const transport = new SSEServerTransport('/messages', res);
    const entry: SseEntry = { transport, owner, client: sessionClient(req, owner), close: () => void transport.close() };
    const release = cap.admit(entry);
    sessions.set(transport.sessionId, entry);
    res.on('close', () => {
      release();
      sessions.delete(transport.sessionId);
      void session.close();
    });
    await session.connect(transport);
  });

  router.post('/messages', async (req, res) => {
    const id = typeof req.query.sessionId === 'string' ? req.query.sessionId : '';
    const entry = sessions.get(id);
    if (!entry || entry.owner !== context.requestOwner(res)) {
      res.status(404).json(jsonRpcErrorBody(JSONRPC_SESSION_ERROR, 'Session not found'));
      return;
    }
    cap.touch(entry);
    await entry.transport.handlePostMessage(req, res, req.body);
  });

  return router;
}
