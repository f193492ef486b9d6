import { HttpError } from '../httpError';
import type { BackendSelector } from './selector';
import { ALL_BACKENDS } from './selector';
import { evaluateTagExpression, parseTagExpression, printTagExpression, tagsOf, TagExpressionError, type TagExpression } from './tagExpression';

/** The query parameters that select backends; a request may use at most one. */
export const SELECTOR_PARAMS = ['tags', 'tag-filter', 'preset'] as const;

/** The config's presets by name: a tag expression, or tags of which any must match. */
export type Presets = Readonly<Record<string, string | readonly string[]>>;

/** A selector from a tag expression. */
export function selectorFromExpression(expression: TagExpression): BackendSelector {
  return {
    key: printTagExpression(expression),
    referencedTags: tagsOf(expression),
    matches: (tags) => evaluateTagExpression(expression, new Set(tags)),
  };
}

/** A selector for "any of these tags". */
export function selectorFromTags(tags: readonly string[]): BackendSelector {
  const [first, ...rest] = tags.map((tag): TagExpression => ({ op: 'tag', tag }));
  if (!first) return ALL_BACKENDS;
  return selectorFromExpression(rest.length === 0 ? first : { op: 'or', operands: [first, ...rest] });
}

/**
 * Builds the backend selection a client asked for with `?tags=a,b` (any of), `?tag-filter=<expr>` or
 * `?preset=<name>`. No selector selects every backend. Throws HttpError 400 for more than one selector,
 * an unknown preset or a malformed expression, with a message that points at the problem.
 */
export function selectorFromQuery(query: Record<string, unknown>, presets: Presets): BackendSelector {
  const given = SELECTOR_PARAMS.filter((name) => query[name] !== undefined);
  if (given.length > 1) {
    throw new HttpError(400, 'invalid_request', `Use only one of ?tags=, ?tag-filter= or ?preset= (got ${given.map((g) => `?${g}=`).join(' and ')})`);
  }
  const param = given[0];
  if (!param) return ALL_BACKENDS;
  const value = queryValue(query[param], param);
  if (param === 'tags') {
    const tags = value.split(',').map((t) => t.trim()).filter(Boolean);
    if (tags.length === 0) throw new HttpError(400, 'invalid_request', '?tags= needs at least one tag');
    const invalid = tags.find((t) => !/^[A-Za-z0-9_.:-]+$/.test(t));
    if (invalid) throw new HttpError(400, 'invalid_request', `?tags=: "${invalid}" is not a valid tag`);
    return selectorFromTags(tags);
  }
  if (param === 'preset') {
    // A name from the query: only the config's own presets, never what every object inherits (`constructor`).
    const preset = Object.hasOwn(presets, value) ? presets[value] : undefined;
    if (preset === undefined) {
      const known = Object.keys(presets);
      throw new HttpError(400, 'invalid_request', `Unknown preset "${value}"${known.length ? ` (known: ${known.join(', ')})` : ' (the config defines no presets)'}`);
    }
    return typeof preset === 'string' ? parseOrThrow(preset, `preset "${value}"`) : selectorFromTags(preset);
  }
  return parseOrThrow(value, '?tag-filter=');
}

function parseOrThrow(source: string, what: string): BackendSelector {
  try {
    return selectorFromExpression(parseTagExpression(source));
  } catch (error) {
    if (error instanceof TagExpressionError) throw new HttpError(400, 'invalid_request', `Invalid ${what} "${source}": ${error.message}`);
    throw error;
  }
}

function queryValue(value: unknown, param: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  throw new HttpError(400, 'invalid_request', `?${param}= must be a string`);
}
