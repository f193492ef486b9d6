/**
 * The bundles' mime-types: scripts/build.mjs puts this file in place of the package, which holds all of
 * mime-db (a sixth of each bundle, and milliseconds of every start to index it). Express, type-is and
 * accepts look up only the types the agent sends or takes: JSON, HTML pages, plain text, form bodies.
 * For those this answers as mime-types does; any other type is unknown (`false`), which Express turns
 * into `application/octet-stream` (test/unit/mimeStandIn.test.ts holds both).
 */
import * as path from 'node:path';

/** By type: the extensions mime-db lists, first the one `extension()` gives, and the charset it names. */
const TYPES: Readonly<Record<string, { readonly extensions: readonly string[]; readonly charset?: string }>> = {
  'application/json': { extensions: ['json'], charset: 'UTF-8' },
  'application/x-www-form-urlencoded': { extensions: [] },
  'text/html': { extensions: ['html', 'htm', 'shtml'] },
  'text/plain': { extensions: ['txt', 'text', 'conf', 'def', 'list', 'log', 'in', 'ini'] },
};

const EXTRACT_TYPE = /^\s*([^;\s]*)(?:;|\s|$)/;

export const extensions: Record<string, readonly string[]> = Object.fromEntries(Object.entries(TYPES).filter(([, t]) => t.extensions.length > 0).map(([type, t]) => [type, t.extensions]));
export const types: Record<string, string> = Object.fromEntries(Object.entries(TYPES).flatMap(([type, t]) => t.extensions.map((ext) => [ext, type])));

function known(type: string): (typeof TYPES)[string] | undefined {
  return Object.hasOwn(TYPES, type) ? TYPES[type] : undefined;
}

/** The default charset of a type: the one mime-db names, else UTF-8 for `text/*`. */
export function charset(type: unknown): string | false {
  if (!type || typeof type !== 'string') return false;
  const match = EXTRACT_TYPE.exec(type)?.[1]?.toLowerCase();
  if (match === undefined) return false;
  return known(match)?.charset ?? (/^text\//.test(match) ? 'UTF-8' : false);
}

export const charsets = { lookup: charset };

/** The type of a file name or extension (`html`, `.html`, `page.html`). */
export function lookup(file: unknown): string | false {
  if (!file || typeof file !== 'string') return false;
  const extension = path.extname(`x.${file}`).toLowerCase().slice(1);
  return (extension && Object.hasOwn(types, extension) && types[extension]) || false;
}

/** A whole Content-Type header for a type or an extension, with its default charset. */
export function contentType(value: unknown): string | false {
  if (!value || typeof value !== 'string') return false;
  let type = value.includes('/') ? value : lookup(value);
  if (!type) return false;
  if (!type.includes('charset')) {
    const chosen = charset(type);
    if (chosen) type += `; charset=${chosen.toLowerCase()}`;
  }
  return type;
}

/** The usual extension of a type. */
export function extension(type: unknown): string | false {
  if (!type || typeof type !== 'string') return false;
  const match = EXTRACT_TYPE.exec(type)?.[1]?.toLowerCase();
  return (match !== undefined && known(match)?.extensions[0]) || false;
}
