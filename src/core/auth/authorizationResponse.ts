/**
 * The URL that sends the browser back to the client: `redirectUri` with the response parameters
 * (`code`, or `error` and `error_description`; RFC 6749 §4.1.2, §4.1.2.1), the client's `state`, and
 * `iss`, so the client can tell which server answered (RFC 9207 §2).
 */
export function authorizationResponseUrl(redirectUri: string, params: Readonly<Record<string, string>>, from: { state?: string; issuer: string }): string {
  const target = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  if (from.state !== undefined) target.searchParams.set('state', from.state);
  target.searchParams.set('iss', from.issuer);
  return target.href;
}
