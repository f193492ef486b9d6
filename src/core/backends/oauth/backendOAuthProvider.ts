import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { ServerConfig } from '../../config/types';
import type { AuthorizationStates } from './authorizationStates';
import type { BackendCredentials, StoredTokens } from './backendCredentials';

/**
 * The agent as the OAuth client of one backend (MCP 2025-11-25 Authorization), for the SDK's client-side
 * `auth()`. Registrations and tokens live in the SecretStore; the PKCE verifier stays in memory, bound
 * to the `state` of the login it belongs to. While a callback's code is exchanged, the tokens are held
 * back (`capture`) until the user approves the connection.
 */
export class BackendOAuthProvider implements OAuthClientProvider {
  private readonly verifiers = new Map<string, string>();
  private lastState?: string;
  private verifier?: string;
  private discovery?: OAuthDiscoveryState;
  private capture?: { tokens?: OAuthTokens };
  /** The authorization page of the latest login started. */
  authorizationUrl?: URL;
  /** Why the stored tokens were dropped, for the status the user sees. */
  invalidatedBecause?: string;

  constructor(
    private readonly server: ServerConfig,
    private readonly redirect: () => string,
    private readonly credentials: BackendCredentials,
    private readonly states: AuthorizationStates,
    private readonly onTokensSaved: (stored: StoredTokens) => void,
  ) {}

  get redirectUrl(): string {
    return this.redirect();
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: '1MCP Agent',
      redirect_uris: [this.redirect()],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: this.server.oauth?.clientSecret ? 'client_secret_post' : 'none',
      ...(this.server.oauth?.scopes && { scope: this.server.oauth.scopes.join(' ') }),
    };
  }

  state(): string {
    this.lastState = this.states.issue(this.server.name);
    return this.lastState;
  }

  async clientInformation(): Promise<OAuthClientInformationMixed | undefined> {
    const { clientId, clientSecret } = this.server.oauth ?? {};
    if (clientId) return { client_id: clientId, ...(clientSecret && { client_secret: clientSecret }) };
    const stored = await this.credentials.client(this.server.name);
    // A registration made for another redirect URI (the agent moved ports) cannot complete a login.
    const uris = (stored as { redirect_uris?: string[] } | undefined)?.redirect_uris;
    return uris && !uris.includes(this.redirect()) ? undefined : stored;
  }

  async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    if (!this.server.oauth?.clientId) await this.credentials.saveClient(this.server.name, info);
  }

  async tokens(): Promise<OAuthTokens | undefined> {
    if (this.capture) return this.capture.tokens;
    return (await this.credentials.tokens(this.server.name))?.tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    if (this.capture) {
      this.capture.tokens = tokens;
      return;
    }
    this.invalidatedBecause = undefined;
    this.onTokensSaved(await this.credentials.saveTokens(this.server.name, tokens));
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    if (this.lastState) this.verifiers.set(this.lastState, verifier);
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('No login is in progress for this backend');
    return this.verifier;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'all' || scope === 'client') await this.credentials.deleteClient(this.server.name);
    if (scope === 'all' || scope === 'tokens') {
      this.invalidatedBecause ??= 'the server no longer accepts the stored sign-in (invalid_grant)';
      await this.credentials.deleteTokens(this.server.name);
    }
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  /** Selects the PKCE verifier of the login `state` started; false if that login is unknown here. */
  resume(state: string): boolean {
    const verifier = this.verifiers.get(state);
    if (!verifier) return false;
    this.verifiers.delete(state);
    this.verifier = verifier;
    return true;
  }

  /** Runs `exchange` with token saving held back; returns the tokens it obtained. */
  async captureTokens(exchange: () => Promise<unknown>): Promise<OAuthTokens | undefined> {
    this.capture = {};
    try {
      await exchange();
      return this.capture.tokens;
    } finally {
      this.capture = undefined;
    }
  }
}
