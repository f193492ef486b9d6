import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { UnauthorizedError } from './oauth/sdkAuth';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ListRootsRequestSchema,
  type RequestId,
  type Result,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { ServerConfig } from '../config/types';
import { LazyJsonSchemaValidator } from '../lazyJsonSchemaValidator';
import { errorMessage, type Logger } from '../logger';
import { CARRIED_EXTENSIONS, MODERN_PROTOCOL_VERSION } from '../protocol';
import type { BackendClient, ListKind, RequestAsker } from './backendClient';
import { describeRefusal, offersModern, versionsOfRefusal } from './backendEra';
import { HttpStatusError } from './backendHttp';
import { notificationSink } from './backendNotifications';
import { createSseTransport, createTransport, httpStatusOf, type TransportOptions } from './createTransport';
import { ModernBackendClient } from './modernBackendClient';
import { RoutingTransport } from './routingTransport';

/** What opening a connection needs from the connection it opens. */
export interface OpeningTarget {
  readonly name: string;
  readonly logger: Logger;
  readonly clientInfo: { name: string; version: string };
  /** OAuth client for an HTTP backend the user has signed in to; undefined otherwise. */
  authProvider(server: ServerConfig): Promise<OAuthClientProvider | undefined>;
  /** A request the backend puts to its client (sampling, elicitation, roots); `related` asks the client of the request it said it belongs to. */
  serverRequest(request: ServerRequest, signal: AbortSignal, related?: RequestAsker): Promise<Result>;
  /** Logging not tied to one request, and resource-update notifications. */
  notification(notification: ServerNotification): void;
  /** One of the backend's lists changed, as `client` heard it. */
  listChanged(client: BackendClient, kind: ListKind): void;
  /** What a stdio backend wrote to stderr. */
  stderr(chunk: string): void;
  /** The client being opened, its transport (and the routing a handshake-era client talks through): kept so that closing the connection meanwhile closes them. */
  hold(client: BackendClient, transport: Transport, routing?: RoutingTransport): void;
  /** Closes what is held. */
  disconnect(): Promise<void>;
}

/**
 * Opens a backend's client in the era it speaks: negotiates the era under `protocol: "auto"` (and
 * remembers what worked), falls back from streamable HTTP to SSE, and says what failed in terms of
 * the user's config.
 */
export class ConnectionOpener {
  /** The era that worked last, under `protocol: "auto"`; tried first on the next connect. */
  private era?: 'modern' | 'legacy';

  constructor(private readonly target: OpeningTarget) {}

  /** Forgets the era that worked (the connection's settings changed). */
  forgetEra(): void {
    this.era = undefined;
  }

  /**
   * Opens the transport and the client. The era follows `protocol`: under `auto` the 2025 handshake
   * comes first (no probe a handshake-era server could choke on), and a server that refuses it with
   * -32022 naming 2026-07-28 is spoken to in that revision from then on. For `http`, a refused
   * streamable HTTP falls back to SSE (MCP 2025-11-25 Transports, backwards compatibility), unless the
   * refusal was a JSON-RPC error: that server speaks MCP over POST, and its reason is the one to report.
   */
  async open(server: ServerConfig, current: () => boolean): Promise<BackendClient> {
    const { target } = this;
    const authProvider = server.type === 'stdio' ? undefined : await target.authProvider(server);
    const options = { onStderr: (chunk: string) => target.stderr(chunk), authProvider };
    if (server.protocol === 'modern' || (server.protocol === 'auto' && this.era === 'modern')) {
      try {
        return await this.openModern(server, options);
      } catch (error) {
        if (server.protocol === 'modern' || !current() || httpStatusOf(error) === 401) throw modernFailure(error, server.protocol === 'modern');
        this.era = undefined;
        await target.disconnect();
      }
    }
    try {
      return await this.openWith(server, createTransport(server, options));
    } catch (error) {
      const versions = versionsOfRefusal(error);
      if (versions !== undefined && current()) {
        if (server.protocol === 'legacy' || !offersModern(versions)) throw new Error(describeRefusal(versions, server.protocol === 'legacy'), { cause: error });
        target.logger.info(`[${target.name}] refused the 2025 handshake (it speaks ${versions.join(', ')}); connecting with MCP ${MODERN_PROTOCOL_VERSION}`);
        await target.disconnect();
        const modern = await this.openModern(server, options).then(
          (client) => ({ client }),
          (failure: unknown) => ({ failure }),
        );
        if ('client' in modern) {
          this.era = 'modern';
          return modern.client;
        }
        if (httpStatusOf(modern.failure) === 401 || !current()) throw modern.failure;
        // A server that names 2026-07-28 and refuses it too: both answers are the news.
        throw new Error(`${errorMessage(error)}; speaking MCP ${MODERN_PROTOCOL_VERSION} to it failed too: ${errorMessage(modern.failure)}`, { cause: error });
      }
      const status = httpStatusOf(error);
      const spokeJsonRpc = error instanceof HttpStatusError && error.rpcError !== undefined;
      if (server.type !== 'http' || status === undefined || status === 401 || spokeJsonRpc || !current()) throw error;
      target.logger.debug(`[${target.name}] streamable HTTP refused (${status}); trying SSE`);
      await target.disconnect();
      try {
        return await this.openWith(server, createSseTransport(server, options));
      } catch (fallback) {
        if (fallback instanceof UnauthorizedError || httpStatusOf(fallback) === 401) throw fallback;
        throw new Error(`${errorMessage(error)}; the SSE fallback failed too: ${errorMessage(fallback)}`, { cause: fallback });
      }
    }
  }

  /** Connects with the SDK v2 client pinned to MCP 2026-07-28; its notifications and requests reach the same places. */
  private async openModern(server: ServerConfig, options: TransportOptions): Promise<BackendClient> {
    const { target } = this;
    const transport = ModernBackendClient.transport(server, options);
    const client = new ModernBackendClient(target.clientInfo, {
      request: (request, signal, related) => target.serverRequest(request, signal, related),
      listChanged: (kind) => target.listChanged(client, kind),
      notification: (notification) => target.notification(notification),
      error: (error) => target.logger.debug(`[${target.name}] ${error.message}`),
    });
    target.hold(client, transport);
    await client.connect(transport, { timeout: server.connectionTimeout });
    return client;
  }

  private async openWith(server: ServerConfig, transport: Transport): Promise<BackendClient> {
    const { target } = this;
    const routing: RoutingTransport = new RoutingTransport(
      transport,
      notificationSink({
        name: target.name,
        logger: target.logger,
        refresh: (kind) => target.listChanged(client, kind),
        broadcast: (notification) => target.notification(notification),
      }),
    );
    const client = this.createClient(routing);
    target.hold(client, transport, routing);
    await client.connect(routing, { timeout: server.connectionTimeout });
    return client;
  }

  /** The handshake-era Client; a question that came on the answer of one of our requests goes to that request's client. */
  private createClient(routing: RoutingTransport): Client {
    const { target } = this;
    const client = new Client(target.clientInfo, {
      capabilities: { sampling: {}, elicitation: { form: {}, url: {} }, roots: { listChanged: true }, extensions: CARRIED_EXTENSIONS },
      jsonSchemaValidator: new LazyJsonSchemaValidator(),
    });
    const forward = (request: ServerRequest, extra: { signal: AbortSignal; requestId: RequestId }) =>
      target.serverRequest(request, extra.signal, routing.takeAsker(extra.requestId));
    client.setRequestHandler(CreateMessageRequestSchema, forward as never);
    client.setRequestHandler(ElicitRequestSchema, forward as never);
    client.setRequestHandler(ListRootsRequestSchema, forward as never);
    client.onerror = (error) => target.logger.debug(`[${target.name}] ${error.message}`);
    return client;
  }
}

/** A failed 2026-07-28 connect, said as what it means for the user's config when the era was pinned. */
function modernFailure(error: unknown, pinned: boolean): unknown {
  if (!pinned || httpStatusOf(error) === 401 || !/negotiat|discover/i.test(errorMessage(error))) return error;
  return new Error(`the server does not speak MCP ${MODERN_PROTOCOL_VERSION} (${errorMessage(error)}); set its "protocol" to "auto" or "legacy"`, { cause: error });
}
