import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JSONRPCMessage, RequestId } from '@modelcontextprotocol/sdk/types.js';
import { encodeMessage } from '../../sharedJson';
import { SSE_HEADERS, sendJson, writeEvent } from '../streamableHttpTransport';

/**
 * The answer to one stateless POST (MCP 2026-07-28 Streamable HTTP): JSON when the response is all
 * that goes back, an event stream as soon as a notification related to the request must go first.
 * The stream ending before the response is the client's cancellation of the request.
 */
export class ModernReply {
  private streaming = false;
  private done = false;
  private readonly canStream: boolean;

  constructor(private readonly res: ServerResponse, readonly id: RequestId, req: IncomingMessage, readonly progressToken?: string | number) {
    const accept = req.headers.accept ?? '';
    this.canStream = accept === '' || accept.includes('text/event-stream') || accept.includes('*/*');
  }

  /** Whether the reply can still be written (not answered, not dropped by the client). */
  get open(): boolean {
    return !this.done && !this.res.destroyed && !this.res.writableEnded;
  }

  /** Runs `listener` when the client drops the connection before the reply was finished. */
  onCancel(listener: () => void): void {
    this.res.on('close', () => {
      if (!this.done) {
        this.done = true;
        listener();
      }
    });
  }

  /** Runs `listener` once the connection is gone, however the reply ended. */
  onClose(listener: () => void): void {
    this.res.on('close', listener);
  }

  /** A notification about this request (progress), before its response. */
  notify(message: JSONRPCMessage): void {
    if (!this.open || !this.canStream) return;
    this.openStream();
    writeEvent(this.res, message);
  }

  result(result: object): void {
    this.finish({ jsonrpc: '2.0', id: this.id, result } as JSONRPCMessage);
  }

  error(error: { code: number; message: string; data?: unknown }, status = 200): void {
    this.finish({ jsonrpc: '2.0', id: this.id, error } as JSONRPCMessage, status);
  }

  /** Switches to an event stream that stays open (`subscriptions/listen`). */
  openStream(): void {
    if (this.streaming) return;
    this.streaming = true;
    this.res.writeHead(200, { ...SSE_HEADERS, 'x-accel-buffering': 'no' });
    this.res.flushHeaders();
  }

  /** Whether an event stream may be opened: the client accepts `text/event-stream`. */
  get acceptsStream(): boolean {
    return this.canStream;
  }

  /** Writes an SSE comment, which keeps idle intermediaries from closing a long stream. */
  keepAlive(): void {
    if (this.open && this.streaming) this.res.write(':\n\n');
  }

  private finish(message: JSONRPCMessage, status = 200): void {
    if (!this.open) return;
    this.done = true;
    if (this.streaming) {
      writeEvent(this.res, message);
      this.res.end();
    } else {
      sendJson(this.res, status, encodeMessage(message));
    }
  }
}
