import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage, type MessageExtraInfo, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import { encodeMessage } from '../sharedJson';
import { JSONRPC_INVALID_REQUEST, jsonRpcErrorBody } from '../httpError';

/** The answer to one POST: JSON once every request in it is answered, or an event stream once anything else must go first. */
interface PostReply {
  readonly res: ServerResponse;
  /** Request ids still waiting for their response. */
  readonly pending: Set<RequestId>;
  /** The POST carried an array (a batch, MCP 2025-03-26): answer with an array. */
  readonly batch: boolean;
  /** The client accepts `text/event-stream`. */
  readonly canStream: boolean;
  readonly responses: JSONRPCMessage[];
  streaming: boolean;
}

/** The most messages one POST may carry where the revision has batches (MCP 2025-03-26 only). */
const MAX_BATCH = 64;
/** The first revision without JSON-RPC batching (MCP 2025-06-18 changelog: "Remove support for JSON-RPC batching"). */
const UNBATCHED_SINCE = '2025-06-18';

export const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' };

/**
 * The server side of MCP's streamable HTTP transport (MCP 2025-11-25 Transports) on plain Node
 * request/response objects. A POST with requests is answered with `application/json` when the responses
 * are all that go back, and switches to `text/event-stream` as soon as a notification or request related
 * to it must be sent first (progress, sampling…), as the spec allows either. `GET` opens the stream for
 * messages not tied to a request; `DELETE` ends the session.
 */
export class StreamableHttpServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  sessionId?: string;

  private readonly replies = new Map<RequestId, PostReply>();
  private standalone?: ServerResponse;
  private closed = false;
  /** The id of the session's `initialize`, until it is answered, and the revision its answer agreed on. */
  private initializeId?: RequestId;
  private protocolVersion?: string;

  constructor(private readonly onSessionInitialized: (sessionId: string) => void) {}

  async start(): Promise<void> {}

  /** A POST whose body was already parsed as JSON. */
  handlePost(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    const messages = (Array.isArray(body) ? body : [body]) as unknown[];
    if (messages.length === 0 || !messages.every(isMessage)) {
      reject(res, 400, JSONRPC_INVALID_REQUEST, 'Invalid Request: the body is not a JSON-RPC message');
      return;
    }
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      reject(res, 400, JSONRPC_INVALID_REQUEST, `Bad Request: unsupported MCP-Protocol-Version ${version}`);
      return;
    }
    const batchRefusal = Array.isArray(body) ? this.batchRefusal(messages.length, typeof version === 'string' ? version : this.protocolVersion) : undefined;
    if (batchRefusal) {
      reject(res, 400, JSONRPC_INVALID_REQUEST, batchRefusal);
      return;
    }
    const initializing = messages.find((m) => 'method' in m && m.method === 'initialize');
    if (initializing) {
      if (this.sessionId !== undefined || messages.length > 1) {
        reject(res, 400, JSONRPC_INVALID_REQUEST, 'Invalid Request: initialize must be sent alone, once per session');
        return;
      }
      this.sessionId = randomUUID();
      this.initializeId = 'id' in initializing ? initializing.id : undefined;
      this.onSessionInitialized(this.sessionId);
    }
    if (this.sessionId !== undefined) res.setHeader('mcp-session-id', this.sessionId);
    const extra: MessageExtraInfo = { requestInfo: { headers: req.headers } };
    const requests = messages.filter((m): m is JSONRPCMessage & { id: RequestId; method: string } => 'method' in m && 'id' in m);
    if (requests.length === 0) {
      res.writeHead(202).end();
    } else {
      const accept = req.headers.accept ?? '';
      const reply: PostReply = {
        res,
        pending: new Set(requests.map((r) => r.id)),
        batch: Array.isArray(body),
        canStream: accept === '' || accept.includes('text/event-stream') || accept.includes('*/*'),
        responses: [],
        streaming: false,
      };
      for (const request of requests) this.replies.set(request.id, reply);
      res.on('close', () => {
        for (const id of reply.pending) this.replies.delete(id);
      });
    }
    for (const message of messages) this.onmessage?.(message, extra);
  }

  /** A GET: the session's stream for messages that answer no particular request. */
  handleGet(req: IncomingMessage, res: ServerResponse): void {
    const accept = req.headers.accept ?? '';
    if (!accept.includes('text/event-stream') && !accept.includes('*/*')) {
      reject(res, 406, JSONRPC_INVALID_REQUEST, 'Not Acceptable: GET needs Accept: text/event-stream');
      return;
    }
    if (this.standalone && !this.standalone.writableEnded) {
      reject(res, 409, JSONRPC_INVALID_REQUEST, 'Conflict: this session already has an open event stream');
      return;
    }
    res.writeHead(200, { ...SSE_HEADERS, ...(this.sessionId && { 'mcp-session-id': this.sessionId }) });
    res.flushHeaders();
    this.standalone = res;
    res.on('close', () => {
      if (this.standalone === res) this.standalone = undefined;
    });
  }

  /** A DELETE: the client ends the session. */
  async handleDelete(res: ServerResponse): Promise<void> {
    await this.close();
    res.writeHead(200).end();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.closed) return;
    if (!('method' in message) && 'id' in message && message.id !== null && message.id !== undefined) {
      this.respond(message.id, message);
      return;
    }
    const related = options?.relatedRequestId === undefined ? undefined : this.replies.get(options.relatedRequestId);
    if (related?.canStream) {
      this.openStream(related);
      writeEvent(related.res, message);
    } else if (this.standalone) {
      writeEvent(this.standalone, message);
    }
    // Otherwise nobody can receive it: the client opened no stream, as the spec allows.
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const open = new Set([...this.replies.values()].map((r) => r.res));
    if (this.standalone) open.add(this.standalone);
    this.replies.clear();
    this.standalone = undefined;
    for (const res of open) if (!res.writableEnded) res.end();
    this.onclose?.();
  }

  /**
   * Why a batch of `size` messages is refused: the revision (the header's, else the one `initialize`
   * agreed on; 2025-03-26 when neither says) has no batches, or it carries more than {@link MAX_BATCH}.
   */
  private batchRefusal(size: number, version = '2025-03-26'): string | undefined {
    if (version >= UNBATCHED_SINCE) return `Invalid Request: MCP ${version} has no JSON-RPC batches; send one message per POST`;
    return size > MAX_BATCH ? `Invalid Request: a batch may carry at most ${MAX_BATCH} messages (this one has ${size})` : undefined;
  }

  private respond(id: RequestId, message: JSONRPCMessage): void {
    if (id === this.initializeId && 'result' in message) {
      const agreed = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof agreed === 'string') this.protocolVersion = agreed;
      this.initializeId = undefined;
    }
    const reply = this.replies.get(id);
    if (!reply) return;
    this.replies.delete(id);
    reply.pending.delete(id);
    if (reply.streaming) {
      writeEvent(reply.res, message);
      if (reply.pending.size === 0) reply.res.end();
      return;
    }
    reply.responses.push(message);
    if (reply.pending.size > 0) return;
    const parts = reply.batch ? batchParts(reply.responses) : encodeMessage(reply.responses[0] as JSONRPCMessage);
    if (!reply.res.writableEnded) sendJson(reply.res, 200, parts);
  }

  private openStream(reply: PostReply): void {
    if (reply.streaming) return;
    reply.streaming = true;
    if (reply.res.writableEnded) return;
    reply.res.writeHead(200, SSE_HEADERS);
    for (const earlier of reply.responses) writeEvent(reply.res, earlier);
  }
}

export function writeEvent(res: ServerResponse, message: JSONRPCMessage): void {
  if (res.writableEnded || res.destroyed) return;
  res.write('event: message\ndata: ');
  for (const part of encodeMessage(message)) res.write(part);
  res.write('\n\n');
}

function batchParts(messages: readonly JSONRPCMessage[]): (string | Buffer)[] {
  const parts: (string | Buffer)[] = ['['];
  messages.forEach((message, i) => parts.push(...(i > 0 ? [','] : []), ...encodeMessage(message)));
  parts.push(']');
  return parts;
}

function reject(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, [JSON.stringify(jsonRpcErrorBody(code, message))]);
}

/** Sends JSON with its length given, so it is not chunked: one write for a small body. */
export function sendJson(res: ServerResponse, status: number, parts: readonly (string | Buffer)[]): void {
  const length = parts.reduce((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p) : p.length), 0);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': length });
  const last = parts.length - 1;
  parts.forEach((part, i) => (i === last ? res.end(part) : res.write(part)));
}

/** A JSON-RPC 2.0 message in shape; the Protocol validates each kind in detail. */
function isMessage(value: unknown): value is JSONRPCMessage {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return false;
  if ('method' in message) return typeof message.method === 'string';
  return 'id' in message && ('result' in message || 'error' in message);
}
