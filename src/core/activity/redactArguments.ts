import { REDACTED, redactSecrets } from '../redact';

/** Words that make a key's value a secret whatever it looks like: `token`, `apiKey`, `client_secret`, `Authorization`, `password`… */
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'passphrase', 'pass', 'secret', 'secrets', 'token', 'tokens', 'key', 'apikey', 'auth', 'authorization', 'bearer', 'credential', 'credentials', 'cookie', 'cookies', 'sessionid']);

/** Whether `key`, split into its words (`accessToken`, `x-api-key`, `DB_PASSWORD`), names a secret; `author` or `keyword` do not. */
function isSecretKey(key: string): boolean {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/);
  return words.some((word, i) => SECRET_WORDS.has(word) || SECRET_WORDS.has(`${word}${words[i + 1] ?? ''}`));
}

/** Limits on what is recorded of arguments: the record is for seeing what happened, not a copy of the data. */
const MAX_DEPTH = 6;
const MAX_STRING = 500;
const MAX_ITEMS = 50;

/**
 * A copy of a call's arguments fit for the activity record: values under secret-looking keys replaced,
 * strings cut to {@link MAX_STRING} characters and stripped of anything that looks like a token or a
 * password (see `redactSecrets`), deep or long structures cut short. It errs towards cutting.
 */
export function redactArguments(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}… (${value.length - MAX_STRING} more characters)` : value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => redactArguments(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `… (${value.length - MAX_ITEMS} more items)`] : items;
  }
  const entries = Object.entries(value);
  const kept = entries.slice(0, MAX_ITEMS).map(([key, item]) => [key, isSecretKey(key) ? REDACTED : redactArguments(item, depth + 1)]);
  if (entries.length > MAX_ITEMS) kept.push(['…', `${entries.length - MAX_ITEMS} more keys`]);
  return Object.fromEntries(kept);
}
