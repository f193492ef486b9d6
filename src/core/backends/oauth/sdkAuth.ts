type AuthModule = typeof import('@modelcontextprotocol/sdk/client/auth.js');

/**
 * The SDK's OAuth client (its `auth()` flow, the OAuth metadata schemas, PKCE), loaded when a backend
 * first signs in or refreshes its sign-in: a start whose backends need none of it never evaluates it
 * (about 20 ms of every CLI start and every window's activation). This `import()` is the lazy boundary.
 */
export function sdkAuth(): Promise<AuthModule> {
  return import('@modelcontextprotocol/sdk/client/auth.js');
}

/** The SDK's `auth()`, loaded first. */
export async function auth(...args: Parameters<AuthModule['auth']>): ReturnType<AuthModule['auth']> {
  return (await sdkAuth()).auth(...args);
}

/** A backend refused a request, and no stored sign-in (or its refresh) could authorize it: the user must sign in. */
export class UnauthorizedError extends Error {
  constructor(message = 'Unauthorized') {
    super(message);
    this.name = 'UnauthorizedError';
  }
}
