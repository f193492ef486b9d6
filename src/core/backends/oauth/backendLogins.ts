import type { BackendConnection } from '../backendConnection';
import type { BackendManager } from '../backendManager';
import { HttpError } from '../../httpError';
import type { BackendOAuth, CallbackParams } from './backendOAuth';

/**
 * What a user does about backends that need a login, for every UI (dashboard, tree view, commands):
 * authorize, finish at the callback, approve or deny the connection, sign out. Unknown backends are
 * HttpError 404.
 */
export class BackendLogins {
  constructor(private readonly oauth: BackendOAuth, private readonly backends: BackendManager) {}

  /**
   * Starts signing in to a backend. Returns the service's authorization page to open in a browser, or
   * undefined when stored credentials were enough and the backend reconnects.
   */
  async authorize(name: string): Promise<string | undefined> {
    const backend = this.named(name);
    if (backend.config.type === 'stdio') throw new HttpError(400, 'invalid_request', `"${name}" is a stdio backend; only HTTP backends sign in`);
    const url = await this.oauth.authorize(await backend.resolvedConfig());
    if (url === undefined) await backend.restart();
    return url;
  }

  /** Completes a sign-in from the service's redirect; the connection then awaits the user's approval. */
  async complete(name: string, params: CallbackParams): Promise<void> {
    await this.oauth.completeCallback(await this.named(name).resolvedConfig(), params);
  }

  /** The user's answer to "connect this backend with the sign-in just obtained?". */
  async decide(name: string, approve: boolean): Promise<void> {
    const backend = this.named(name);
    if (!approve) {
      this.oauth.deny(name);
      return;
    }
    await this.oauth.approve(await backend.resolvedConfig());
    await backend.restart();
  }

  /** Deletes a backend's tokens; it returns to Awaiting OAuth. */
  async signOut(name: string): Promise<void> {
    const backend = this.named(name);
    await this.oauth.signOut(name);
    await backend.restart();
  }

  private named(name: string): BackendConnection {
    const backend = this.backends.get(name);
    if (!backend) throw new HttpError(404, 'not_found', `No backend named "${name}"`);
    return backend;
  }
}
