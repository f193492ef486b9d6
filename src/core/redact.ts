/** What a cut-out secret is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Names whose value is a secret, with anything before them (`DB_PASSWORD`, `x-api-key`, `accessToken`)
 * and after them only past a separator, so `author` or `tokenizer` stay.
 */
const SECRET_NAME = String.raw`[\w.-]*?(?:pass(?:word|wd|phrase)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth(?:orization)?|session[_-]?id|cookie)(?:[_.-][\w.-]*)?`;

type Replacement = string | ((match: string, ...groups: string[]) => string);

/** Keeps the quotes around a value it cuts out, and the scheme of an authorization value. */
const cutValue = (_match: string, name: string, value: string): string => {
  const quote = value.startsWith('"') || value.startsWith("'") ? (value[0] ?? '') : '';
  const scheme = /^["']?((?:Bearer|Basic)\s+)/i.exec(value)?.[1] ?? '';
  return `${name}${quote}${scheme}${REDACTED}${quote}`;
};

const RULES: readonly [RegExp, Replacement][] = [
  // name=value and name: value, quoted or not: env dumps, query strings, headers, JSON.
  [new RegExp(String.raw`(["']?\b${SECRET_NAME}["']?\s*[=:]\s*)("[^"]*"|'[^']*'|(?:(?:Bearer|Basic)\s+)?[^\s"',;&)\]}>]+)`, 'gi'), cutValue],
  // Authorization values elsewhere, but not auth-params such as `Bearer realm="…"`.
  [/\b(Bearer\s+)(?![\w-]+=)[\w.~+/-]+=*/gi, `$1${REDACTED}`],
  [/\b(Basic\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{6,}=*/gi, `$1${REDACTED}`],
  // --name value on command lines.
  [new RegExp(String.raw`(--${SECRET_NAME}\s+)("[^"]*"|'[^']*'|[^\s"')\]}>]+)`, 'gi'), cutValue],
  // Credentials in URLs: scheme://user:password@host.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s/@]+@/gi, `$1${REDACTED}@`],
  // Well-known token shapes: JWTs, sk-/pk- keys, GitHub, Slack, AWS access key ids, Google API keys.
  [/\beyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/g, REDACTED],
  [/\b(?:sk|pk|rk)-[\w-]{16,}/g, REDACTED],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,})/g, REDACTED],
  [/\bxox[abposr]-[\w-]{10,}/g, REDACTED],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, REDACTED],
  [/\bAIza[\w-]{30,}/g, REDACTED],
  // Long hex runs (keys, digests), and long base64 runs that mix cases and digits (paths and words do not).
  [/\b[0-9a-fA-F]{32,}\b/g, REDACTED],
  [/[A-Za-z0-9+/_-]{32,}={0,2}/g, (run) => (/\d/.test(run) && /[a-z]/.test(run) && /[A-Z]/.test(run) ? REDACTED : run)],
];

/**
 * `text` with anything that looks like a secret cut out: values after names such as `password`, `token`
 * or `api_key`, bearer and basic credentials, URL passwords, well-known key formats, and long hex or
 * base64 runs. For what a backend wrote that the agent shows (status, `/health`, logs): a heuristic, so
 * it errs towards cutting.
 */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of RULES) {
    result = typeof replacement === 'string' ? result.replace(pattern, replacement) : result.replace(pattern, replacement);
  }
  return result;
}
