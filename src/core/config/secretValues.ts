import type { SecretValues } from '../redact';
import type { InputResolver } from './substitute';
import type { ServerConfig } from './types';

/** Headers that carry no credential: their values are protocol words, not secrets. */
const PLAIN_HEADER = /^(?:accept(?:-[\w-]+)?|content-[\w-]+|user-agent|cache-control|connection|mcp-protocol-version)$/i;

/**
 * Environment variables named as settings a process is given (paths, names, modes, levels, places),
 * not secrets: their values are ordinary words that would otherwise be cut out of every text.
 */
const PLAIN_ENV = /^(?:PATH|HOME|USER(?:NAME)?|SHELL|LANG(?:UAGE)?|LC_\w+|TERM|TZ|PWD|TE?MP(?:DIR)?|NODE_ENV|NODE_OPTIONS|DEBUG|\w+_(?:PATH|DIRS?|HOME|FILE|NAME|MODE|LEVEL|REGION|HOST|PORT|TIMEOUT|VERSION|ENV|LOCALE|MODEL))$/i;

/** Query parameters whose value is a credential: `access_token`, `token`, `key`, `api_key`, `secret`, `password`, OAuth's `code`… */
const TOKEN_PARAM = /token|key|secret|pass(?:word|wd)?|pwd|auth|code|sig(?:nature)?|credential|session/i;

/**
 * The secret values of a server as its connection uses them (its `${…}` references resolved): its
 * env values (of a URL, its credentials only; none of PATH and the like), its header values but the
 * plain ones (and the credential after a scheme such as `Bearer`), the credentials of its URL, its
 * OAuth client secret. A value shorter than MIN_SECRET_LENGTH is no secret (SecretValues.remember).
 */
export function secretValuesOf(server: ServerConfig): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(server.env)) {
    if (isUrl(value)) values.push(...urlCredentials(value));
    else if (!PLAIN_ENV.test(name)) values.push(value);
  }
  for (const [name, value] of Object.entries(server.headers)) {
    if (PLAIN_HEADER.test(name)) continue;
    values.push(value);
    const credential = /^[\w-]+\s+(\S+)$/.exec(value.trim())?.[1];
    if (credential) values.push(credential);
  }
  if (server.url !== undefined && isUrl(server.url)) values.push(...urlCredentials(server.url));
  if (server.oauth?.clientSecret !== undefined) values.push(server.oauth.clientSecret);
  return values;
}

function isUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) && URL.canParse(value);
}

/** The user and password of a URL, and its token-like query parameters, as written and decoded. */
function urlCredentials(value: string): string[] {
  const url = new URL(value);
  const userinfo = [url.username, url.password].filter(Boolean).flatMap((part) => [part, safeDecode(part)]);
  return [...userinfo, ...[...url.searchParams].filter(([name]) => TOKEN_PARAM.test(name)).map(([, param]) => param)];
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** `resolve`, remembering every value it gives in `secrets` (an `${input:}` is a secret wherever it is used). */
export function rememberingInputs(resolve: InputResolver, secrets: SecretValues): InputResolver {
  return async (id) => {
    const value = await resolve(id);
    if (value !== undefined) secrets.remember(`input:${id}`, [value]);
    return value;
  };
}
