import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { auth, type OAuthClientProvider, type OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Logger } from '../core/logger';
import { FileSecretStore } from '../core/secrets/fileSecretStore';
import type { LinkAuthorization } from './agentLink';
import { startLoopbackRedirect, type LoopbackRedirect } from './loopbackRedirect';

export interface BridgeOAuthOptions {
  /** The agent's endpoint. */
  readonly url: URL;
  /** The 1MCP config folder; registrations and tokens go to `proxy/` in it. */
  readonly folder: string;
  readonly logger: Logger;
  /** Shows the user the authorization URL (stderr), and opens it where a browser exists. */
  readonly showAuthorizationUrl: (url: string, clientName: string) => void;
  /** How long to wait for the user's decision. */
  readonly approvalTimeoutMs: number;
}

/**
 * The bridge as an ordinary OAuth client of the agent (MCP 2025-11-25 Authorization), through the SDK's
 * client-side `auth()`: dynamic registration (RFC 7591), authorization code with PKCE, the redirect on
 * a loopback port (RFC 8252 §7.3), refresh on a 401. The user approves it like any client, in VS Code
 * or on the dashboard. Its registration and tokens are kept per stdio client (the name it gave in
 * `initialize`) and agent URL, in a 0600 file in the 1MCP config folder.
 */
export class BridgeOAuth implements LinkAuthorization, OAuthClientProvider {
  private client = { name: 'stdio client', title: 'A stdio MCP client' };
  private store?: FileSecretStore;
  private redirect?: LoopbackRedirect;
  private stateValue?: string;
  private verifier?: string;
  private discovery?: OAuthDiscoveryState;
  private running?: { readonly done: Promise<void>; readonly interactive: boolean };
  private interactive = false;

  constructor(private readonly options: BridgeOAuthOptions) {}

  /** The stdio client the bridge serves, from its `initialize`. */
  setClient(info: { name?: unknown; title?: unknown } | undefined): void {
    if (typeof info?.name !== 'string' || info.name === '') return;
    this.client = { name: info.name, title: typeof info.title === 'string' && info.title ? info.title : info.name };
    this.store = undefined;
  }

  async accessToken(): Promise<string | undefined> {
    return (await this.tokens())?.access_token;
  }

  authorize(challenge: { resourceMetadataUrl?: URL; scope?: string }, interactive: boolean): Promise<void> {
    const current = this.running;
    if (current && (current.interactive || !interactive)) return current.done;
    // A quiet refresh under way: if it fails, this caller may ask the user, so it tries again after it.
    const done = (current ? current.done.catch(() => this.run(challenge, interactive)) : this.run(challenge, interactive)).finally(() => {
      if (this.running?.done === done) this.running = undefined;
    });
    this.running = { done, interactive };
    return done;
  }

  private async run({ resourceMetadataUrl, scope }: { resourceMetadataUrl?: URL; scope?: string }, interactive: boolean): Promise<void> {
    const serverUrl = new URL(this.options.url.pathname, this.options.url);
    this.interactive = interactive;
    this.redirect = await startLoopbackRedirect();
    try {
      if ((await auth(this, { serverUrl, resourceMetadataUrl, scope })) === 'AUTHORIZED') return;
      // A refresh was not enough (first use, or the grant was revoked): only a call of the client's asks the user.
      if (!interactive) throw new Error('the agent wants this client approved again; the next call asks for it');
      const code = await this.redirect.code(this.stateValue ?? '', this.options.approvalTimeoutMs);
      if ((await auth(this, { serverUrl, resourceMetadataUrl, scope, authorizationCode: code })) !== 'AUTHORIZED') throw new Error('the agent did not issue a token');
      this.options.logger.info(`${this.client.title} is approved; its sign-in is kept in ${this.file()}`);
    } finally {
      await this.redirect.close();
      this.redirect = undefined;
    }
  }

  get redirectUrl(): string {
    return this.redirect?.url ?? 'http://127.0.0.1/callback';
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: `${this.client.title} (onemcp proxy)`,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    this.stateValue = randomBytes(16).toString('base64url');
    return this.stateValue;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    return this.read<OAuthClientInformationMixed>('client');
  }

  async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    await this.secrets().set('client', JSON.stringify(info));
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    return this.read<OAuthTokens>('tokens');
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    await this.secrets().set('tokens', JSON.stringify(tokens));
  }

  redirectToAuthorization(url: URL): void {
    if (this.interactive) this.options.showAuthorizationUrl(url.href, this.client.title);
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('no authorization is in progress');
    return this.verifier;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'all' || scope === 'client') await this.secrets().delete('client');
    if (scope === 'all' || scope === 'tokens') await this.secrets().delete('tokens');
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  /** One file per stdio client and agent URL: two clients' bridges never rewrite each other's tokens. */
  private file(): string {
    const resource = `${this.options.url.origin}${this.options.url.pathname}`;
    const hash = createHash('sha256').update(`${resource}\n${this.client.name}`).digest('hex').slice(0, 12);
    return path.join(this.options.folder, 'proxy', `${this.client.name.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 40)}-${hash}.json`);
  }

  private secrets(): FileSecretStore {
    this.store ??= new FileSecretStore(this.file());
    return this.store;
  }

  private async read<T>(key: string): Promise<T | undefined> {
    const text = await this.secrets().get(key);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }
}
