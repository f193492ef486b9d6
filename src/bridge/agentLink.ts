import * as http from 'node:http';
import * as https from 'node:https';
import { extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { readText } from '../core/backends/backendHttp';
import { isOversized } from '../core/backends/messageLimit';
import { SseParser } from '../core/backends/sseParser';

/** The agent could not be reached at all (nothing listens there): the message was not delivered. */
export class AgentUnreachableError extends Error {
  constructor(readonly url: string, cause: unknown) {
    super(`the 1MCP agent is not reachable at ${url} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
    this.name = 'AgentUnreachableError';
  }
}

/** The connection broke after the message went out: the agent stopped or restarted while it worked on it. */
export class AgentGoneError extends Error {
  constructor(readonly url: string, cause: unknown) {
    super(`the 1MCP agent at ${url} went away before answering (${(cause as NodeJS.ErrnoException).code ?? String(cause)}); calls made once it is back go through`, { cause });
    this.name = 'AgentGoneError';
  }
}

/** The agent no longer knows our session (it restarted, or ended the session): 404 (MCP 2025-11-25 Transports, "Session Management"). */
export class SessionGoneError extends Error {
  constructor() {
    super('the agent no longer knows this session');
    this.name = 'SessionGoneError';
  }
}

/** Any other HTTP answer the bridge cannot use; `body` is what the agent said. */
export class AgentHttpError extends Error {
  constructor(readonly status: number, readonly body: string) {
    super(`the agent answered HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`);
    this.name = 'AgentHttpError';
  }
}

/** One MCP session at the agent, as far as the transport is concerned. */
export interface AgentSession {
  readonly id?: string;
  readonly protocolVersion?: string;
}

/** What the link needs of the OAuth client: the access token, and a way to get a new one after a 401. */
export interface LinkAuthorization {
  accessToken(): Promise<string | undefined>;
  /**
   * Refreshes, or (when `interactive`) has the user approve this client; rejects when that cannot
   * happen. A message of the client's may ask the user, and so may reopening the session the client had
   * (its `initialize` replayed: its next call needs it); the event stream in the background may not.
   */
  authorize(challenge: { resourceMetadataUrl?: URL; scope?: string }, interactive: boolean): Promise<void>;
}

/** Receives each message of an answer in order; `sessionId` is the answer's `Mcp-Session-Id`. */
export type MessageSink = (message: JSONRPCMessage, sessionId: string | undefined) => void;

const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/**
 * The bridge's side of MCP's streamable HTTP transport (MCP 2025-11-25 Transports) towards the agent's
 * `/mcp`: each message is one POST whose answer (JSON or an event stream) is read to its end; a GET
 * stream carries what the agent sends on its own. Messages are handed on as they are, never re-encoded
 * or validated beyond their JSON. A 401 asks `authorization` for a token once, then retries.
 */
export class AgentLink {
  constructor(readonly url: URL, private readonly authorization?: LinkAuthorization) {}

  /** POSTs `message`; resolves once the answer has ended, every message in it handed to `sink`. */
  async post(message: JSONRPCMessage, session: AgentSession | undefined, sink: MessageSink, mayAuthorize = true): Promise<void> {
    const headers = await this.headers(session, { 'content-type': 'application/json', accept: 'application/json, text/event-stream' });
    const res = await this.request('POST', headers, JSON.stringify(message));
    const status = res.statusCode ?? 0;
    if (status === 401 && mayAuthorize && this.authorization) {
      res.resume();
      await this.authorization.authorize(challengeOf(res), true);
      return this.post(message, session, sink, false);
    }
    await this.check(res, session);
    const sessionId = header(res, 'mcp-session-id');
    const type = header(res, 'content-type') ?? '';
    if (type.startsWith('text/event-stream')) {
      await readEvents(res, (m) => sink(m, sessionId));
    } else if (type.startsWith('application/json')) {
      const text = await readText(res);
      if (text.trim() === '') return;
      const data = JSON.parse(text) as JSONRPCMessage | JSONRPCMessage[];
      for (const m of Array.isArray(data) ? data : [data]) sink(m, sessionId);
    } else {
      res.resume();
    }
  }

  /**
   * Opens the session's GET stream and reads it until it ends. Resolves false when the agent offers no
   * such stream (405, as the spec allows), true when an open stream ended.
   */
  async listen(session: AgentSession, sink: MessageSink, signal: AbortSignal): Promise<boolean> {
    const res = await this.request('GET', await this.headers(session, { accept: 'text/event-stream' }), undefined, signal);
    if (res.statusCode === 405 || res.statusCode === 409) {
      res.resume();
      return false;
    }
    if (res.statusCode === 401 && this.authorization) {
      res.resume();
      await this.authorization.authorize(challengeOf(res), false);
      return true;
    }
    await this.check(res, session);
    await readEvents(res, (m) => sink(m, session.id));
    return true;
  }

  /** Ends the session (DELETE), best effort: an agent that is gone has ended it already. */
  async end(session: AgentSession): Promise<void> {
    if (session.id === undefined) return;
    const headers = await this.headers(session, {});
    await this.request('DELETE', headers, undefined, AbortSignal.timeout(1_000)).then((res) => res.resume(), () => undefined);
  }

  private async check(res: http.IncomingMessage, session: AgentSession | undefined): Promise<void> {
    const status = res.statusCode ?? 0;
    if (status === 404 && session?.id !== undefined) {
      res.resume();
      throw new SessionGoneError();
    }
    if (status >= 400) throw new AgentHttpError(status, await readText(res).catch(() => ''));
  }

  private async headers(session: AgentSession | undefined, extra: Record<string, string>): Promise<Record<string, string>> {
    const headers = { ...extra };
    if (session?.id !== undefined) headers['mcp-session-id'] = session.id;
    if (session?.protocolVersion !== undefined) headers['mcp-protocol-version'] = session.protocolVersion;
    const token = await this.authorization?.accessToken();
    if (token) headers.authorization = `Bearer ${token}`;
    return headers;
  }

  private request(method: string, headers: Record<string, string>, body?: string, signal?: AbortSignal): Promise<http.IncomingMessage> {
    const secure = this.url.protocol === 'https:';
    return new Promise((resolve, reject) => {
      const req = (secure ? https : http).request(this.url, { method, headers, agent: secure ? agents.https : agents.http, signal }, resolve);
      req.once('error', (error: NodeJS.ErrnoException) => {
        if (error.name === 'AbortError') reject(error);
        else reject(error.code && NOT_DELIVERED.has(error.code) ? new AgentUnreachableError(this.url.href, error) : new AgentGoneError(this.url.href, error));
      });
      req.end(body);
    });
  }
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The `resource_metadata` and `scope` of a 401's challenge (RFC 9728 §5.1, MCP 2025-11-25 Authorization). */
function challengeOf(res: http.IncomingMessage): { resourceMetadataUrl?: URL; scope?: string } {
  const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(new Response(null, { headers: { 'www-authenticate': header(res, 'www-authenticate') ?? '' } }));
  return { resourceMetadataUrl, scope };
}

/** Reads an event stream to its end (or until it breaks off), handing on each `message` event. */
function readEvents(res: http.IncomingMessage, deliver: (message: JSONRPCMessage) => void): Promise<void> {
  const parser = new SseParser();
  res.on('data', (chunk: Buffer) => {
    for (const event of parser.push(chunk)) {
      // An event over the parser's limit, like one that is not JSON, is nothing a client could use.
      if (event.event !== 'message' || isOversized(event.data)) continue;
      let message: JSONRPCMessage;
      try {
        message = JSON.parse(event.data.toString('utf8')) as JSONRPCMessage;
      } catch {
        // Not JSON: nothing a client could use; the request it belonged to is answered with an error.
        continue;
      }
      deliver(message);
    }
  });
  return new Promise((resolve) => {
    res.once('end', resolve);
    res.once('close', resolve);
    res.once('error', () => resolve());
  });
}
