import type { InProcessTokens } from '../core/auth/authorizationServer';
import type { EditorToken } from '../core/http/control/controlProtocol';
import type { TokenSet } from '../core/auth/tokenService';
import { systemClock, type Clock } from '../core/clock';
import type { Disposable } from '../core/event';
import { HttpError } from '../core/httpError';
import { errorMessage, type Logger } from '../core/logger';
import type { SecretStore } from '../core/secrets/secretStore';
import type { AgentState } from '../core/state/agentState';

/** What the editor's client needs of the running agent (an `Agent`). */
export interface EditorClientAgent {
  readonly endpoint: string | undefined;
  authorizeInProcessClient(request: { clientName: string; tags?: readonly string[] }): Promise<InProcessTokens>;
  refreshInProcessClient(clientId: string, refreshToken: string): Promise<TokenSet>;
}

/**
 * Where the editor's tokens come from: the agent this window serves (`local`: this window keeps the
 * grant), or the window that serves it (`remote`: that window keeps the grant and hands out tokens).
 */
export type EditorTokenSource = { readonly local: EditorClientAgent } | { readonly remote: () => Promise<EditorToken> };

export interface EditorClientOptions {
  readonly secrets: SecretStore;
  /** The source of tokens now; throws when the agent runs nowhere. */
  readonly source: () => EditorTokenSource;
  /** The name the user sees in the approval request; the agent reuses its in-process client by it. */
  readonly clientName: string;
  /** Tags to ask for (the user may grant fewer). */
  readonly tags: () => readonly string[];
  /**
   * The token VS Code holds is being replaced (rotated before expiry, or its grant is gone): VS Code
   * should reconnect, which resolves the server definition again and so picks up the new token.
   */
  readonly onDidReplaceToken: () => void;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Runs `callback` after `ms`; replaceable so tests need not wait. */
  readonly schedule?: (callback: () => void, ms: number) => Disposable;
}

/** What is kept in SecretStorage: enough to get new tokens without asking the user. Never an access token. */
interface StoredGrant {
  readonly clientId: string;
  readonly refreshToken: string;
  /** The `/mcp` URL the grant is bound to (RFC 8707): another port needs a new grant. */
  readonly resource: string;
}

/** SecretStore key of the editor's own grant. */
export const EDITOR_GRANT_KEY = 'editorClient';

/** Refresh this long before the access token expires, but never more than a tenth of its lifetime early. */
const REFRESH_LEAD_MS = 5 * 60_000;

const realSchedule = (callback: () => void, ms: number): Disposable => {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return { dispose: () => clearTimeout(timer) };
};

/**
 * Tokens for VS Code's own MCP client when the agent requires authorization. The user approves the
 * editor once (the same approval queue, notification and dashboard as any client); the client id and
 * refresh token then live in SecretStorage, so later windows get tokens without asking. The access
 * token stays in memory, is refreshed before it expires, and a refused refresh (`invalid_grant`:
 * revoked, expired, reused) means asking the user again.
 */
export class EditorClientTokens implements Disposable {
  private access?: { readonly token: string; readonly expiresAt: number; readonly resource: string; readonly lead: number; readonly remote: boolean };
  private clientId?: string;
  private obtaining?: Promise<string>;
  private timer?: Disposable;
  private readonly clock: Clock;

  constructor(private readonly options: EditorClientOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** A live access token for the agent's endpoint: the one in memory, a refreshed one, or (after the user approves) a new grant. */
  token(): Promise<string> {
    this.obtaining ??= this.obtain().finally(() => {
      this.obtaining = undefined;
    });
    return this.obtaining;
  }

  /** A live token with its lifetime, for the editor's client of a window that follows this one. */
  async issue(): Promise<EditorToken> {
    const token = await this.token();
    const expiresAt = this.access?.token === token ? this.access.expiresAt : this.clock.now();
    return { accessToken: token, expiresIn: Math.max(0, Math.floor((expiresAt - this.clock.now()) / 1000)) };
  }

  /** Drops the stored grant when the agent no longer knows the editor's client (it was revoked). */
  handleState(state: AgentState): void {
    if (state.phase !== 'running' || !state.auth.enabled) return;
    if (this.access?.remote) {
      // The serving window keeps the grant; once its client is gone, the token this window holds is dead.
      if (state.clients.some((c) => c.inProcess && c.clientName === this.options.clientName)) return;
      this.timer?.dispose();
      this.access = undefined;
      this.options.onDidReplaceToken();
      return;
    }
    if (this.clientId === undefined || state.clients.some((c) => c.clientId === this.clientId)) return;
    this.options.logger.info('VS Code’s own MCP client was revoked; it will ask for approval on its next start');
    this.forget().then(
      () => this.options.onDidReplaceToken(),
      (error: unknown) => this.options.logger.warn(`Could not forget the grant of VS Code’s own MCP client: ${errorMessage(error)}`),
    );
  }

  dispose(): void {
    this.timer?.dispose();
  }

  private async obtain(): Promise<string> {
    const source = this.options.source();
    const access = this.access;
    const remote = 'remote' in source;
    const resource = remote ? '' : source.local.endpoint;
    if (resource === undefined) throw new Error('The agent is not listening');
    if (access && access.remote === remote && access.resource === resource && access.expiresAt - this.clock.now() > access.lead) return access.token;
    if ('remote' in source) return this.fetchRemote(source.remote);
    return (await this.refreshStored(source.local, resource)) ?? this.authorize(source.local);
  }

  /** A token from the serving window; before it expires, VS Code is made to ask again. */
  private async fetchRemote(fetch: () => Promise<EditorToken>): Promise<string> {
    const { accessToken, expiresIn } = await fetch();
    this.schedule(accessToken, expiresIn * 1000, '', true);
    return accessToken;
  }

  /** Tokens from the stored refresh token; undefined when there is none or it was refused (then it is forgotten). */
  private async refreshStored(agent: EditorClientAgent, resource: string): Promise<string | undefined> {
    const stored = await this.load();
    if (!stored || stored.resource !== resource) return undefined;
    try {
      const tokens = await agent.refreshInProcessClient(stored.clientId, stored.refreshToken);
      return await this.keep(stored.clientId, tokens, resource);
    } catch (error) {
      if (!(error instanceof HttpError && error.code === 'invalid_grant')) throw error;
      this.options.logger.info(`VS Code’s own MCP client needs approval again: ${error.message}`);
      await this.forget();
      return undefined;
    }
  }

  private async authorize(agent: EditorClientAgent): Promise<string> {
    const resource = agent.endpoint ?? '';
    const tokens = await agent.authorizeInProcessClient({ clientName: this.options.clientName, tags: this.options.tags() });
    return this.keep(tokens.clientId, tokens, resource);
  }

  private async keep(clientId: string, tokens: TokenSet, resource: string): Promise<string> {
    const grant: StoredGrant = { clientId, refreshToken: tokens.refreshToken, resource };
    await this.options.secrets.set(EDITOR_GRANT_KEY, JSON.stringify(grant));
    this.clientId = clientId;
    this.schedule(tokens.accessToken, tokens.expiresIn * 1000, resource, false);
    return tokens.accessToken;
  }

  private schedule(token: string, lifetime: number, resource: string, remote: boolean): void {
    const lead = Math.min(REFRESH_LEAD_MS, lifetime / 10);
    this.access = { token, expiresAt: this.clock.now() + lifetime, resource, lead, remote };
    this.timer?.dispose();
    this.timer = (this.options.schedule ?? realSchedule)(() => void this.rotate(), lifetime - lead);
  }

  /** Before the access token VS Code holds expires: new tokens now, then VS Code reconnects with them. */
  private async rotate(): Promise<void> {
    this.access = undefined;
    try {
      const source = this.options.source();
      const agent = 'local' in source ? source.local : undefined;
      if (agent?.endpoint && (await this.refreshStored(agent, agent.endpoint))) this.options.logger.debug('Refreshed the token of VS Code’s own MCP client');
    } catch (error) {
      this.options.logger.warn(`Could not refresh the token of VS Code’s own MCP client: ${errorMessage(error)}`);
    }
    this.options.onDidReplaceToken();
  }

  private async load(): Promise<StoredGrant | undefined> {
    const text = await this.options.secrets.get(EDITOR_GRANT_KEY);
    if (!text) return undefined;
    try {
      const value = JSON.parse(text) as Partial<StoredGrant>;
      if (typeof value.clientId !== 'string' || typeof value.refreshToken !== 'string' || typeof value.resource !== 'string') return undefined;
      this.clientId = value.clientId;
      return { clientId: value.clientId, refreshToken: value.refreshToken, resource: value.resource };
    } catch {
      return undefined;
    }
  }

  private async forget(): Promise<void> {
    this.timer?.dispose();
    this.access = undefined;
    this.clientId = undefined;
    await this.options.secrets.delete(EDITOR_GRANT_KEY);
  }
}
