import type { RawServerEntry } from '../core/config/configEdits';

/** Server names the config accepts. */
export const SERVER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const TAG = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Splits a command line into words, honouring single and double quotes (no other shell syntax). */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3] ?? '');
  return words;
}

/** A name for a new server from what it runs: the package or program name, or the URL's host. */
export function suggestName(commandOrUrl: string): string {
  if (URL.canParse(commandOrUrl) && /^https?:/.test(commandOrUrl)) return clean(new URL(commandOrUrl).hostname.split('.').slice(-2, -1)[0] ?? 'remote');
  const words = splitCommandLine(commandOrUrl).filter((w) => !w.startsWith('-'));
  const runner = /(^|[\\/])(npx|uvx|bunx|pnpx|node|python3?|deno)(\.exe)?$/.test(words[0] ?? '');
  const target = (runner ? words[1] : words[0]) ?? 'server';
  // A script path names its package, not itself: .../server-everything/dist/index.js -> everything.
  const parts = target.replace(/@[^@/]*$/, '').split(/[\\/]/).filter((p) => p && !/^(dist|build|lib|src|bin|index\.m?[jt]s|main\.py|__main__\.py)$/.test(p));
  const base = (parts.pop() ?? 'server').replace(/\.(m?[jt]s|py|exe)$/, '');
  return clean(base.replace(/^(mcp-)?server-|-server$|-mcp$|^mcp-/g, '')) || 'server';
}

function clean(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 64);
}

/** Why a name is unusable, or undefined when it is fine. */
export function nameProblem(name: string, taken: ReadonlySet<string>): string | undefined {
  if (!SERVER_NAME.test(name)) return 'Use 1 to 64 letters, digits, "_", "-" or "."';
  if (taken.has(name)) return `"${name}" is already in the config`;
  return undefined;
}

/** Comma- or space-separated tags; undefined when one is invalid. */
export function parseTags(text: string): string[] | undefined {
  const tags = text.split(/[\s,]+/).filter(Boolean);
  return tags.every((t) => TAG.test(t)) ? [...new Set(tags)] : undefined;
}

/** The mcp.json entry for a command line (stdio) or a URL (http). */
export function draftEntry(kind: 'stdio' | 'http', target: string, tags: readonly string[]): RawServerEntry {
  const entry: RawServerEntry = {};
  if (kind === 'stdio') {
    const [command, ...args] = splitCommandLine(target);
    entry.command = command;
    if (args.length) entry.args = args;
  } else {
    entry.url = target.trim();
  }
  if (tags.length) entry.tags = [...tags];
  return entry;
}
