/** What a cut-out secret is replaced with. */
export const REDACTED = '[redacted]';
/** A value that is already cut out: redacting text twice leaves it as once. */
const NOT_CUT = String.raw`(?!(?:(?:Bearer|Basic)\s+)?["']?\[redacted\])`;

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
  [new RegExp(String.raw`(["']?\b${SECRET_NAME}["']?\s*[=:]\s*)${NOT_CUT}("[^"]*"|'[^']*'|(?:(?:Bearer|Basic)\s+)?[^\s"',;&)\]}>]+)`, 'gi'), cutValue],
  // Authorization values elsewhere, but not auth-params such as `Bearer realm="…"`.
  [/\b(Bearer\s+)(?![\w-]+=)[\w.~+/-]+=*/gi, `$1${REDACTED}`],
  [/\b(Basic\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{6,}=*/gi, `$1${REDACTED}`],
  // --name value on command lines.
  [new RegExp(String.raw`(--${SECRET_NAME}\s+)${NOT_CUT}("[^"]*"|'[^']*'|[^\s"')\]}>]+)`, 'gi'), cutValue],
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

/**
 * The shortest value taken for a secret: shorter ones ("1", "true", "debug") would cut ordinary words out
 * of every text the agent shows.
 */
export const MIN_SECRET_LENGTH = 6;

/**
 * The secret values the agent knows, by where each comes from (a server of the running config, an
 * `${input:}`), and what cuts them out of text. The agent's logger cuts them out of every line
 * ({@link cutKnown}); what a backend wrote, shown in the state or told to a client, gets {@link redact}.
 */
export class SecretValues {
  private readonly bySource = new Map<string, readonly string[]>();
  /** Every known value and its URL-encoded form, longest first, as one pattern; undefined when there is none. */
  private pattern?: RegExp;

  /** Replaces what `source` is known to hold; values shorter than {@link MIN_SECRET_LENGTH} are left out. */
  remember(source: string, values: Iterable<string>): void {
    const kept = [...new Set(values)].filter((value) => value.length >= MIN_SECRET_LENGTH);
    const before = this.bySource.get(source) ?? [];
    if (kept.length === before.length && kept.every((value, i) => value === before[i])) return;
    if (kept.length > 0) this.bySource.set(source, kept);
    else this.bySource.delete(source);
    const all = new Set([...this.bySource.values()].flat().flatMap((value) => [value, encodeURIComponent(value)]));
    const alternatives = [...all].sort((a, b) => b.length - a.length).map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    this.pattern = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'g') : undefined;
  }

  /** `text` with every known secret value cut out. */
  cutKnown(text: string): string {
    return this.pattern ? text.replace(this.pattern, REDACTED) : text;
  }

  /** Text a backend wrote, as the agent shows it: known secret values and whatever looks like a secret cut out. */
  redact(text: string): string {
    return redactSecrets(this.cutKnown(text));
  }
}
