import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock';
import { Emitter, type Event } from '../event';
import { HttpError } from '../httpError';
import { errorMessage, type Logger } from '../logger';
import type { SecretStore } from '../secrets/secretStore';
import type { ApprovalBroker, ApprovalDecision, ApprovalOutcome, PendingApproval } from './approvalBroker';
import { ApprovalQueue } from './approvalQueue';
import { authorizationResponseUrl } from './authorizationResponse';
import { AuthStore, UNGRANTED_CLIENTS, type StoredClient } from './authStore';
import { displayName, summarizeClients, type AuthClientSummary } from './clientSummary';
import { parseClientRegistration, SUPPORTED_GRANT_TYPES } from './clientRegistration';
import { samePeer, type RequestOrigin } from './requestOrigin';
import { hashSecret, newSecret } from './tokenCrypto';
import { DEFAULT_LIFETIMES, TokenService, type AccessGrant, type CodeExchange, type TokenLifetimes, type TokenSet } from './tokenService';

export interface AuthorizationServerOptions {
  readonly secrets: SecretStore;
  readonly broker: ApprovalBroker;
  readonly logger: Logger;
  /** Whether granted tags confine a token (`--enable-scope-validation`). */
  readonly scopeValidation: boolean;
  /** Tags of the configured backends, read at each use so config changes apply at once. */
  readonly availableTags: () => readonly string[];
  readonly clock?: Clock;
  readonly lifetimes?: Partial<TokenLifetimes>;
  /** Seconds an authorization request waits for the user before it expires (default 600). */
  readonly approvalTimeout?: number;
}

/** An authorization request that passed validation (OAuth 2.1 §4.1.1, RFC 7636 §4.3, RFC 8707 §2). */
export interface AuthorizationRequest {
  readonly client: StoredClient;
  readonly redirectUri: string;
  readonly redirectUriSent: boolean;
  readonly challenge: string;
  readonly state?: string;
  /** Where it came from (the browser's socket); only that peer may collect the outcome. */
  readonly origin: RequestOrigin;
  /** Our `/mcp` URL: the resource every token of the grant is bound to. */
  readonly resource: string;
  readonly requestedTags: readonly string[];
  /** Our issuer identifier, sent back as `iss` (RFC 9207 §2). */
  readonly issuer: string;
}

/** Where a browser's authorization request stands; `elsewhere` when another peer than the one that began it asks. */
export type AuthorizationProgress =
  | { readonly status: 'pending'; readonly request: AuthorizationRequest }
  | { readonly status: 'done'; readonly redirect: string }
  | { readonly status: 'elsewhere' };

/** Tokens handed to an in-process client (the editor's own MCP client). */
export type InProcessTokens = TokenSet & { readonly clientId: string };

interface BrowserFlow {
  readonly request: AuthorizationRequest;
  readonly expiresAt: number;
  outcome?: ApprovalOutcome;
}

const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The OAuth 2.1 authorization server for clients of the agent, independent of HTTP: registration,
 * authorization requests decided by the user through the {@link ApprovalQueue}, codes, tokens, refresh
 * rotation, revocation, and the client list the UI shows. No path mints a token without an approval.
 */
export class AuthorizationServer {
  private readonly changed = new Emitter<void>();
  readonly onDidChange = this.changed.event;
  /** A grant ended: every session opened with its tokens should end too. */
  readonly onDidRevokeGrant: Event<{ readonly clientId: string; readonly grantId: string }>;
  readonly scopeValidation: boolean;
  private readonly clock: Clock;
  private readonly store: AuthStore;
  private readonly tokens: TokenService;
  private readonly queue: ApprovalQueue;
  private readonly approvalTimeoutMs: number;
  /** Wait-handle hash -> an authorization request from a browser, until the browser collects its outcome. */
  private readonly flows = new Map<string, BrowserFlow>();
  private sweeper?: NodeJS.Timeout;
  private loading?: Promise<void>;
  private loaded = false;
  private closed = false;

  constructor(private readonly options: AuthorizationServerOptions) {
    this.scopeValidation = options.scopeValidation;
    this.clock = options.clock ?? systemClock;
    this.store = new AuthStore(options.secrets);
    this.onDidRevokeGrant = (listener) => this.store.onDidDeleteGrant((grant) => listener({ clientId: grant.clientId, grantId: grant.id }));
    this.tokens = new TokenService(this.store, this.clock, { ...DEFAULT_LIFETIMES, ...options.lifetimes });
    this.approvalTimeoutMs = (options.approvalTimeout ?? 600) * 1000;
    this.queue = new ApprovalQueue(options.broker, this.clock, this.approvalTimeoutMs);
    this.queue.onDidChange(() => this.changed.fire());
  }

  /** Settles once the stored grants are loaded; until then nothing may be checked against them. */
  get ready(): Promise<void> {
    this.loading ??= this.store.load().then(() => {
      this.loaded = true;
      // Closed meanwhile (the agent lost its port while loading): nothing to sweep.
      if (this.closed) return;
      this.sweeper = setInterval(() => this.sweep(), 30_000);
      this.sweeper.unref();
    });
    return this.loading;
  }

  /** Whether {@link ready} has settled: tokens can be checked now. */
  get isReady(): boolean {
    return this.loaded;
  }

  async start(): Promise<void> {
    await this.ready;
  }

  /**
   * Expires pending requests and saves. `persist: false` only waits for the last write: an agent that
   * never served (it lost the port to another window) must not overwrite what the serving one stored.
   */
  async close(options: { persist?: boolean } = {}): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    this.queue.close();
    await (options.persist === false ? this.store.flushed() : this.persist());
    this.changed.dispose();
  }

  availableTags(): string[] {
    return [...new Set(this.options.availableTags())].sort();
  }

  client(clientId: string): StoredClient | undefined {
    return this.store.clients.get(clientId);
  }

  /**
   * RFC 7591 dynamic registration; throws HttpError 400 for metadata it cannot accept. The client is
   * saved behind the answer; past {@link UNGRANTED_CLIENTS}, the oldest client never granted is forgotten.
   */
  registerClient(body: unknown): StoredClient {
    const client: StoredClient = parseClientRegistration(body, this.clock.now());
    const forgotten = this.store.addClient(client, this.busyClients());
    this.persistBehind('the OAuth client registration');
    this.options.logger.info(`Registered OAuth client "${displayName(client)}" (${client.clientId})`);
    if (forgotten > 0) this.options.logger.debug(`Forgot ${forgotten} OAuth client(s) that never got a grant (at most ${UNGRANTED_CLIENTS.max} are kept)`);
    this.changed.fire();
    return client;
  }

  /**
   * Queues a browser authorization request for the user; returns the secret handle its page polls with.
   * Throws HttpError 429 when the request is over a quota of the queue.
   */
  beginAuthorization(request: AuthorizationRequest): string {
    const flow: BrowserFlow = { request, expiresAt: this.clock.now() + 2 * this.approvalTimeoutMs };
    this.enqueue(request.client, request.requestedTags, request.redirectUri, request.origin, (outcome) => {
      flow.outcome = outcome;
    });
    const handle = newSecret();
    this.flows.set(hashSecret(handle), flow);
    return handle;
  }

  /**
   * Where the browser goes once the user has decided: the client's redirect URI with `code`, `state`
   * and `iss` (RFC 9207 §2), or with `error=access_denied`. The code is minted only now, so its short
   * life starts when the browser comes back. Undefined for an unknown or already collected handle;
   * `elsewhere`, changing nothing, when `from` is not the peer that began the request.
   */
  async collectAuthorization(handle: string, from: RequestOrigin): Promise<AuthorizationProgress | undefined> {
    this.sweep();
    const key = hashSecret(handle);
    const flow = this.flows.get(key);
    if (!flow) return undefined;
    const { outcome, request } = flow;
    if (!samePeer(request.origin, from)) return { status: 'elsewhere' };
    if (!outcome) return { status: 'pending', request };
    this.flows.delete(key);
    if (outcome.status === 'approved' && this.store.clients.has(request.client.clientId)) {
      const code = this.tokens.issueCode({ ...request, clientId: request.client.clientId, tags: outcome.tags });
      await this.persist();
      return { status: 'done', redirect: authorizationResponseUrl(request.redirectUri, { code }, request) };
    }
    const description = outcome.status === 'expired' ? 'The request was not approved in time' : 'The user denied the request';
    return { status: 'done', redirect: authorizationResponseUrl(request.redirectUri, { error: 'access_denied', error_description: description }, request) };
  }

  /** Applies the user's decision on a pending request (from any UI). */
  decideApproval(id: string, decision: ApprovalDecision): void {
    this.queue.decide(id, decision);
  }

  pendingApprovals(): PendingApproval[] {
    return this.queue.list();
  }

  /** The authorization_code grant. */
  async exchangeCode(request: CodeExchange): Promise<TokenSet> {
    try {
      const tokens = this.tokens.exchangeCode(request);
      this.touch(request.clientId);
      this.options.logger.info(`Issued tokens to OAuth client ${request.clientId} (${describeTags(tokens.tags)})`);
      return tokens;
    } finally {
      await this.persist();
      this.changed.fire();
    }
  }

  /** The refresh_token grant with rotation; a reused refresh token revokes its family. */
  async refresh(clientId: string, refreshToken: string, options: { resource?: string; tags?: readonly string[] } = {}): Promise<TokenSet> {
    try {
      const tokens = this.tokens.refresh(clientId, refreshToken, options);
      this.touch(clientId);
      return tokens;
    } catch (error) {
      if (error instanceof HttpError && error.code === 'invalid_grant') this.options.logger.warn(`Refresh refused for OAuth client ${clientId}: ${error.message}`);
      throw error;
    } finally {
      await this.persist();
      this.changed.fire();
    }
  }

  /** RFC 7009 revocation. */
  async revoke(clientId: string, token: string): Promise<void> {
    if (!this.tokens.revoke(clientId, token)) return;
    await this.persist();
    this.changed.fire();
  }

  /** The grant behind a bearer token, or undefined; records when the client was last seen. */
  verifyAccessToken(token: string): AccessGrant | undefined {
    const grant = this.tokens.verifyAccessToken(token);
    if (grant) this.touch(grant.clientId, true);
    return grant;
  }

  clients(): AuthClientSummary[] {
    return summarizeClients(this.store);
  }

  /** Forgets a client and revokes every token it holds. Returns false if it was not registered. */
  async revokeClient(clientId: string): Promise<boolean> {
    const client = this.store.clients.get(clientId);
    if (!client) return false;
    this.store.deleteClient(clientId);
    await this.persist();
    this.options.logger.info(`Revoked OAuth client "${displayName(client)}" (${clientId}) and all its tokens`);
    this.changed.fire();
    return true;
  }

  /**
   * Issues tokens to a client living in the host process (the editor's own MCP client) once the user
   * approves the request, exactly like a browser request; later calls with the same name reuse the
   * client. Rejects with HttpError 403 `access_denied` if denied or expired.
   */
  async authorizeInProcess(request: { clientName: string; tags?: readonly string[]; resource: string }): Promise<InProcessTokens> {
    const client = [...this.store.clients.values()].find((c) => c.inProcess && c.clientName === request.clientName) ?? this.addInProcessClient(request.clientName);
    const outcome = await new Promise<ApprovalOutcome>((resolve) => this.enqueue(client, request.tags ?? [], undefined, { kind: 'in-process' }, resolve));
    if (outcome.status !== 'approved') throw new HttpError(403, 'access_denied', `The request was ${outcome.status}`);
    const { tokens } = this.tokens.issueGrant(client.clientId, outcome.tags, request.resource);
    this.touch(client.clientId);
    await this.persist();
    this.changed.fire();
    return { ...tokens, clientId: client.clientId };
  }

  /** Rotates an in-process client's refresh token (no user interaction; the grant already exists). */
  refreshInProcess(clientId: string, refreshToken: string): Promise<TokenSet> {
    if (!this.store.clients.get(clientId)?.inProcess) return Promise.reject(new HttpError(400, 'invalid_grant', 'Not an in-process client'));
    return this.refresh(clientId, refreshToken);
  }

  private addInProcessClient(clientName: string): StoredClient {
    const client: StoredClient = {
      clientId: randomUUID(),
      clientName,
      redirectUris: [],
      grantTypes: [...SUPPORTED_GRANT_TYPES],
      applicationType: 'native',
      registeredAt: this.clock.now(),
      inProcess: true,
    };
    this.store.addClient(client, this.busyClients());
    return client;
  }

  private enqueue(client: StoredClient, requestedTags: readonly string[], redirectUri: string | undefined, origin: RequestOrigin, onSettled: (outcome: ApprovalOutcome) => void): void {
    this.queue.add(
      { clientId: client.clientId, clientName: displayName(client), origin, redirectUri, requestedTags, availableTags: this.availableTags(), scopeValidation: this.scopeValidation },
      onSettled,
    );
  }

  /** Clients with a request in progress: waiting for the user, or for its browser to come back. */
  private busyClients(): Set<string> {
    return new Set([...[...this.flows.values()].map((f) => f.request.client.clientId), ...this.queue.list().map((a) => a.clientId)]);
  }

  /** Records use; with `lazily`, persists and announces only once a minute per client. */
  private touch(clientId: string, lazily = false): void {
    const client = this.store.clients.get(clientId);
    if (!client) return;
    const now = this.clock.now();
    if (lazily && client.lastUsedAt !== undefined && now - client.lastUsedAt < LAST_USED_RESOLUTION_MS) return;
    client.lastUsedAt = now;
    if (!lazily) return;
    this.persistBehind('when the OAuth client was last used');
    this.changed.fire();
  }

  private sweep(): void {
    this.queue.sweep();
    const now = this.clock.now();
    for (const [key, flow] of this.flows) if (flow.expiresAt <= now) this.flows.delete(key);
  }

  private persist(): Promise<void> {
    return this.store.save(this.clock.now(), this.busyClients());
  }

  /** Saves without waiting: what changed is worth keeping, but nobody is owed its durability. */
  private persistBehind(what: string): void {
    this.persist().catch((error: unknown) => this.options.logger.warn(`Could not save ${what}: ${errorMessage(error)}`));
  }
}

function describeTags(tags: readonly string[]): string {
  return tags.length > 0 ? `tags ${tags.join(', ')}` : 'no tags';
}
