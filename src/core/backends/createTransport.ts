import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { ServerConfig } from '../config/types';
import { SseClientTransport } from './sseClientTransport';
import { StreamableHttpClientTransport } from './streamableHttpClient';
import { StdioProcessTransport } from './stdioTransport';

export interface TransportOptions {
  onStderr?: (chunk: string) => void;
  authProvider?: OAuthClientProvider;
}

/**
 * Builds the client transport for one (substituted) server config. `http` returns the streamable HTTP
 * transport; the caller falls back to {@link createSseTransport} when the server only speaks SSE.
 */
export function createTransport(server: ServerConfig, options: TransportOptions): Transport {
  if (server.type === 'stdio') {
    return new StdioProcessTransport({
      command: server.command ?? '',
      args: server.args,
      env: server.env,
      cwd: server.cwd,
      onStderr: options.onStderr,
    });
  }
  if (server.type === 'sse') return createSseTransport(server, options);
  return new StreamableHttpClientTransport(parseUrl(server), { headers: server.headers, authProvider: options.authProvider });
}

/** The legacy HTTP+SSE transport (MCP 2024-11-05), for servers that speak nothing newer. */
export function createSseTransport(server: ServerConfig, options: TransportOptions): Transport {
  return new SseClientTransport(parseUrl(server), { headers: server.headers, authProvider: options.authProvider });
}

/** The server's `url`, or an error that says it is not one. */
export function parseUrl(server: ServerConfig): URL {
  try {
    return new URL(server.url ?? '');
  } catch {
    throw new Error(`"url" is not a valid URL: ${server.url ?? ''}`);
  }
}

/** HTTP status carried by an SDK transport error, if any. */
export function httpStatusOf(error: unknown): number | undefined {
  // The SDK v2 transport carries the status in `data.status`.
  const code = (error as { code?: unknown } | undefined)?.code;
  const status = (error as { data?: { status?: unknown } } | undefined)?.data?.status;
  if (typeof status === 'number' && typeof code === 'string') return status;
  return typeof code === 'number' && code >= 100 && code < 600 ? code : undefined;
}
