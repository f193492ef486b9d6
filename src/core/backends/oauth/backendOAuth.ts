import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ServerConfig } from '../../config/types';
import { Emitter } from '../../event';
import { HttpError } from '../../httpError';
import { errorMessage, type Logger } from '../../logger';
import type { SecretStore } from '../../secrets/secretStore';
import { AuthorizationStates } from './authorizationStates';
import { BackendCredentials, type StoredTokens } from './backendCredentials';
import { BackendOAuthProvider } from './backendOAuthProvider';
import { auth } from './sdkAuth';

/** A backend login the user finished at the service, waiting for the user to approve the connection. */
export interface PendingConnection {
  readonly backend: string;
  readonly obtainedAt: number;
  /** Scopes the service granted, as it reported them. */
  readonly scopes: readonly string[];
}

/** The query of an OAuth redirect back to us (RFC 6749 §4.1.2). */
export interface CallbackParams {
  readonly code?: string;
  readonly state?: string;
  readonly error?: string;
  readonly error_description?: string;
}

/** Refresh this long before expiry, but never more than a tenth of the token's lifetime early. */
const REFRESH_LEAD_MS = 60_000;

/**
 * The agent as OAuth client of its backends: starts logins, completes callbacks (checking `state`),
 * holds obtained tokens until the user approves the connection, refreshes before expiry, signs out.
 * Backends without stored tokens connect without OAuth, so nothing is registered or requested at a
 * service until the user clicks Authorize.
 */
export class BackendOAuth {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly lost = new Emitter<{ backend: string; reason: string }>();
  /** A backend's sign-in stopped working (a refresh was refused); it needs the user again. */
  readonly onDidLoseAuthorization = this.lost.event;
  private readonly credentials: BackendCredentials;
  private readonly states = new AuthorizationStates();
  private readonly providers = new Map<string, { key: string; provider: BackendOAuthProvider; server: ServerConfig }>();
  private readonly pending = new Map<string, { tokens: OAuthTokens; info: PendingConnection }>();
  private readonly refreshTimers = new Map<string, NodeJS.Timeout>();
  private readonly signedIn = new Set<string>();

  /**
   * `redact` cuts the config's secret values out of what a service wrote (an error, its description)
   * before it is shown; the rest is OAuth's own words (`authorization_endpoint: …`), left as they are.
   */
  constructor(store: SecretStore, private readonly callbackBase: () => string, private readonly logger: Logger, private readonly redact: (text: string) => string) {
    this.credentials = new BackendCredentials(store);
  }

  /** The provider a backend connects with: only once it has tokens (or a login is under way). */
  async providerFor(server: ServerConfig): Promise<BackendOAuthProvider | undefined> {
    const stored = await this.credentials.tokens(server.name);
    if (!stored) {
      this.signedIn.delete(server.name);
      return undefined;
    }
    this.signedIn.add(server.name);
    const provider = this.provider(server);
    this.scheduleRefresh(server, stored);
    return provider;
  }

  /** Whether the backend connects with a stored sign-in (as of its last connection attempt). */
  isSignedIn(backend: string): boolean {
    return this.signedIn.has(backend);
  }

  /** Why a backend's sign-in was dropped, if it was. */
  reasonFor(backend: string): string | undefined {
    return this.providers.get(backend)?.provider.invalidatedBecause;
  }

  /** The authorization page of the latest login started for `backend`. */
  authorizationUrlFor(backend: string): string | undefined {
    return this.providers.get(backend)?.provider.authorizationUrl?.href;
  }

  get pendingConnections(): PendingConnection[] {
    return [...this.pending.values()].map((p) => p.info);
  }

  /**
   * Starts a login: discovery, registration when needed, PKCE. Returns the service's authorization URL
   * to open, or undefined when stored credentials turned out to be enough (a refresh worked).
   */
  async authorize(server: ServerConfig): Promise<string | undefined> {
    const provider = this.provider(server);
    const result = await this.atService(server, 'could not start', () => auth(provider, { serverUrl: serverUrl(server), scope: server.oauth?.scopes?.join(' ') }));
    this.changed.fire();
    if (result !== 'REDIRECT') return undefined;
    const page = provider.authorizationUrl;
    // The page is opened in the user's browser (or by the editor): only ever a web page.
    if (page?.protocol !== 'https:' && page?.protocol !== 'http:') {
      throw new HttpError(502, 'bad_gateway', `Sign-in to "${server.name}" could not start: its authorization server names a sign-in page that is not an http(s) address (${page?.protocol ?? 'none'}); 1MCP opens only web pages.`);
    }
    return page.href;
  }

  /** Completes a login from the service's redirect; the tokens then wait for the user's approval. */
  async completeCallback(server: ServerConfig, params: CallbackParams): Promise<void> {
    const provider = this.provider(server);
    if (!this.states.consume(params.state, server.name) || params.state === undefined || !provider.resume(params.state)) {
      throw new HttpError(400, 'invalid_state', `The sign-in response for "${server.name}" has a missing, unknown, expired or already used state; nothing was changed. Start again with Authorize.`);
    }
    if (params.error) {
      const detail = params.error_description ? `: ${params.error_description}` : '';
      throw new HttpError(400, params.error, `"${server.name}" did not authorize the agent (${this.redact(`${params.error}${detail}`)}); nothing was changed.`);
    }
    if (!params.code) throw new HttpError(400, 'invalid_request', 'The sign-in response has no authorization code.');
    const code = params.code;
    const tokens = await this.atService(server, 'could not be completed', () => provider.captureTokens(() => auth(provider, { serverUrl: serverUrl(server), authorizationCode: code })));
    if (!tokens) throw new HttpError(502, 'server_error', `"${server.name}" returned no tokens`);
    const info: PendingConnection = { backend: server.name, obtainedAt: Date.now(), scopes: tokens.scope?.split(' ').filter(Boolean) ?? [] };
    this.pending.set(server.name, { tokens, info });
    this.logger.info(`[${server.name}] signed in at the service; approve the connection to use it`);
    this.changed.fire();
  }

  /** The user approved: the tokens are stored and the backend may connect with them. */
  async approve(server: ServerConfig): Promise<void> {
    const entry = this.takePending(server.name);
    const stored = await this.credentials.saveTokens(server.name, entry.tokens);
    this.signedIn.add(server.name);
    this.scheduleRefresh(server, stored);
    this.changed.fire();
  }

  /** The user denied: what the login obtained is discarded. */
  deny(backend: string): void {
    this.takePending(backend);
    this.changed.fire();
  }

  /** Deletes the backend's tokens (its registration stays, so signing in again is quick). */
  async signOut(backend: string): Promise<void> {
    this.clearRefresh(backend);
    this.pending.delete(backend);
    this.signedIn.delete(backend);
    await this.credentials.deleteTokens(backend);
    this.changed.fire();
  }

  /** Forgets state for backends no longer configured or whose OAuth settings changed. */
  retain(servers: readonly ServerConfig[]): void {
    const keys = new Map(servers.map((s) => [s.name, providerKey(s)]));
    for (const [name, entry] of this.providers) {
      if (keys.get(name) !== entry.key) {
        this.providers.delete(name);
        this.clearRefresh(name);
      }
    }
  }

  close(): void {
    for (const name of [...this.refreshTimers.keys()]) this.clearRefresh(name);
    this.changed.dispose();
    this.lost.dispose();
  }

  private provider(server: ServerConfig): BackendOAuthProvider {
    const key = providerKey(server);
    const existing = this.providers.get(server.name);
    if (existing?.key === key) return existing.provider;
    const redirect = (): string => `${this.callbackBase()}/oauth/callback/${encodeURIComponent(server.name)}`;
    const provider = new BackendOAuthProvider(server, redirect, this.credentials, this.states, (stored) => this.scheduleRefresh(server, stored));
    this.providers.set(server.name, { key, provider, server });
    return provider;
  }

  private takePending(backend: string): { tokens: OAuthTokens; info: PendingConnection } {
    const entry = this.pending.get(backend);
    if (!entry) throw new HttpError(404, 'not_found', `No sign-in for "${backend}" is waiting for approval`);
    this.pending.delete(backend);
    return entry;
  }

  private scheduleRefresh(server: ServerConfig, stored: StoredTokens): void {
    this.clearRefresh(server.name);
    if (stored.expiresAt === undefined || !stored.tokens.refresh_token) return;
    const lifetime = (stored.tokens.expires_in ?? 0) * 1000;
    const delay = Math.max(0, stored.expiresAt - Math.min(REFRESH_LEAD_MS, lifetime / 10) - Date.now());
    const timer = setTimeout(() => void this.refresh(server), delay);
    timer.unref();
    this.refreshTimers.set(server.name, timer);
  }

  private async refresh(server: ServerConfig): Promise<void> {
    this.refreshTimers.delete(server.name);
    const provider = this.provider(server);
    try {
      const result = await auth(provider, { serverUrl: serverUrl(server) });
      if (result === 'AUTHORIZED') {
        this.logger.debug(`[${server.name}] access token refreshed`);
        return;
      }
      this.lost.fire({ backend: server.name, reason: provider.invalidatedBecause ?? 'the sign-in expired' });
    } catch (error) {
      this.logger.warn(`[${server.name}] token refresh failed: ${errorMessage(error)}`);
    }
    this.changed.fire();
  }

  private clearRefresh(backend: string): void {
    clearTimeout(this.refreshTimers.get(backend));
    this.refreshTimers.delete(backend);
  }

  /**
   * Runs a step of a sign-in at the service; what goes wrong there (unreachable, metadata the SDK
   * refuses, an error answer) becomes an HttpError 502 that says which backend and what (its secrets cut
   * out), for the page or message that shows it.
   */
  private async atService<T>(server: ServerConfig, failed: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw new HttpError(502, 'bad_gateway', `Sign-in to "${server.name}" ${failed}: ${this.redact(serviceProblem(error))}`, { cause: error });
    }
  }
}

/** What went wrong at a service, in a sentence: a schema error (metadata the SDK refused) says its first issue. */
function serviceProblem(error: unknown): string {
  const issue = (error as { issues?: { path?: unknown[]; message?: string }[] } | undefined)?.issues?.[0];
  if (issue?.message) return `its OAuth metadata is not usable (${[...(issue.path ?? [])].join('.') || 'document'}: ${issue.message})`;
  return errorMessage(error);
}

function serverUrl(server: ServerConfig): string {
  return server.url ?? '';
}

function providerKey(server: ServerConfig): string {
  return JSON.stringify([server.url, server.oauth]);
}
