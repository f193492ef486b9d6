import type * as z from 'zod';
import { systemClock, type Clock } from '../clock';
import { errorMessage } from '../logger';
import { serverListSchema, serverResponseSchema, type ServerJson } from './serverJson';

/** The official MCP Registry; companies run their own behind the same API. */
export const DEFAULT_REGISTRY_URL = 'https://registry.modelcontextprotocol.io';

export type RegistryErrorCode = 'BAD_URL' | 'UNREACHABLE' | 'NOT_FOUND' | 'HTTP_STATUS' | 'MALFORMED';

/** A registry that cannot be asked, does not answer, or answers something else than the v0.1 API. */
export class RegistryError extends Error {
  constructor(readonly code: RegistryErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegistryError';
  }
}

export interface RegistryClientOptions {
  readonly clock?: Clock;
  /** How long an answer is reused (default one minute): searching as one types asks the same pages again. */
  readonly cacheMs?: number;
  /** How long one request may take (default 15 s). */
  readonly timeoutMs?: number;
}

/** Servers per page asked for; the registry may send fewer. */
const PAGE_SIZE = 100;
/** Answers kept at most; the oldest goes first. */
const CACHE_ENTRIES = 64;

/**
 * A client of the generic MCP Registry API v0.1 (`GET /v0.1/servers`, `GET /v0.1/servers/{name}/versions/{version}`):
 * pages are followed by their `metadata.nextCursor`, answers are validated and cached briefly, and every
 * failure is a {@link RegistryError} that names the registry.
 */
export class RegistryClient {
  readonly baseUrl: string;
  private readonly cache = new Map<string, { readonly at: number; readonly body: Promise<unknown> }>();

  constructor(baseUrl: string, private readonly options: RegistryClientOptions = {}) {
    this.baseUrl = registryBaseUrl(baseUrl);
  }

  /**
   * The latest version of every server whose name matches `query` (the registry decides how: the
   * official one matches a part of the name), in the registry's order, at most `limit`.
   */
  async search(query: string, limit = 200): Promise<ServerJson[]> {
    const found: ServerJson[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const url = new URL('v0.1/servers', `${this.baseUrl}/`);
      if (query.trim()) url.searchParams.set('search', query.trim());
      url.searchParams.set('version', 'latest');
      url.searchParams.set('limit', String(PAGE_SIZE));
      if (cursor) url.searchParams.set('cursor', cursor);
      const page = await this.get(url, serverListSchema, 'a list of servers');
      for (const { server } of page.servers) if (found.length < limit) found.push(server);
      const next = page.metadata?.nextCursor ?? undefined;
      // A cursor seen before would page forever.
      if (next && seen.has(next)) throw new RegistryError('MALFORMED', `The registry at ${this.baseUrl} sent the same page cursor twice`);
      if (next) seen.add(next);
      cursor = next || undefined;
    } while (cursor && found.length < limit);
    return found;
  }

  /** One server by its registry name (`io.github.user/weather`), the latest version unless `version` names one. */
  async server(name: string, version = 'latest'): Promise<ServerJson> {
    const url = new URL(`v0.1/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}`, `${this.baseUrl}/`);
    const { server } = await this.get(url, serverResponseSchema, 'a server', `No server named "${name}"${version === 'latest' ? '' : ` in version ${version}`} in the registry at ${this.baseUrl}`);
    return server;
  }

  private async get<T>(url: URL, schema: z.ZodType<T>, what: string, notFound?: string): Promise<T> {
    const body = await this.cached(url.toString(), notFound);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
      throw new RegistryError('MALFORMED', `The registry at ${this.baseUrl} answered with something that is not ${what} of the v0.1 API${where}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }

  private cached(url: string, notFound: string | undefined): Promise<unknown> {
    const now = (this.options.clock ?? systemClock).now();
    const hit = this.cache.get(url);
    if (hit && now - hit.at < (this.options.cacheMs ?? 60_000)) return hit.body;
    const body = this.fetchJson(url, notFound);
    this.cache.delete(url);
    this.cache.set(url, { at: now, body });
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value ?? '');
    // A failure is not kept: the next call asks again.
    body.catch(() => {
      if (this.cache.get(url)?.body === body) this.cache.delete(url);
    });
    return body;
  }

  private async fetchJson(url: string, notFound: string | undefined): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000) });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      throw new RegistryError('UNREACHABLE', `Cannot reach the registry at ${this.baseUrl}: ${errorMessage(cause)}`, { cause: error });
    }
    const text = await response.text().catch((error: unknown) => {
      throw new RegistryError('UNREACHABLE', `The registry at ${this.baseUrl} stopped answering: ${errorMessage(error)}`, { cause: error });
    });
    if (response.status === 404 && notFound) throw new RegistryError('NOT_FOUND', notFound);
    if (!response.ok) throw new RegistryError('HTTP_STATUS', `The registry at ${this.baseUrl} answered ${response.status} ${response.statusText} to ${new URL(url).pathname}`);
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new RegistryError('MALFORMED', `The registry at ${this.baseUrl} answered with something that is not JSON`, { cause: error });
    }
  }
}

/** The registry's base URL without a trailing slash; throws a {@link RegistryError} for anything but http(s). */
export function registryBaseUrl(url: string): string {
  const trimmed = url.trim();
  if (!URL.canParse(trimmed) || !/^https?:$/.test(new URL(trimmed).protocol)) throw new RegistryError('BAD_URL', `The registry URL is not an http(s) URL: "${url}"`);
  return trimmed.replace(/\/+$/, '');
}
