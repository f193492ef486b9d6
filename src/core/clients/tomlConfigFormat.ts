import { asRecord } from '../config/foreignEntries';
import { ClientConfigError, unparseable } from './clientConfigError';
import type { ConfigFormat } from './configFormat';
import { parseToml, TomlError, tomlKey, tomlString, type TomlTable } from './toml';

const SECTION = 'mcp_servers';

/**
 * TOML client configs (Codex: `[mcp_servers.<name>]` tables). Entries are inserted and removed as
 * whole table blocks, a header and its key/value lines (sub-tables like `[mcp_servers.x.env]` with
 * it); every other byte of the file stays where it was. An entry written another way (an inline table,
 * dotted keys) is reported, not rewritten.
 */
export const tomlConfigFormat: ConfigFormat = {
  servers(text, file) {
    try {
      return Object.fromEntries(Object.entries(asRecord(parseToml(text).value[SECTION])).map(([name, entry]) => [name, asRecord(entry)]));
    } catch (error) {
      if (error instanceof TomlError) throw unparseable(file, error.line, error.column, error.reason);
      throw error;
    }
  },

  setEntry(text, name, entry) {
    const { value, tables } = parseToml(text);
    const blocks = blocksOf(tables, name);
    if (blocks.length === 0 && asRecord(value[SECTION])[name] !== undefined) {
      throw new ClientConfigError('CONFIG_SHAPE', `[${SECTION}.${name}] is written inline in this file; remove it by hand, then try again.`);
    }
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const block = renderTable([SECTION, name], entry, eol);
    const at = blocks[0]?.start;
    const without = cut(text, blocks, false);
    return at === undefined ? append(without, block, eol) : without.slice(0, at) + block + without.slice(at);
  },

  removeEntries(text, names) {
    const { tables } = parseToml(text);
    const saved: Record<string, string> = {};
    const removed: TomlTable[] = [];
    for (const name of names) {
      const blocks = blocksOf(tables, name);
      if (blocks.length === 0) continue;
      saved[name] = blocks.map((b) => withLineEnd(text.slice(b.start, b.end))).join('');
      removed.push(...blocks);
    }
    return { text: cut(text, removed), saved };
  },

  // Tables name their section in every header: there is no section of its own to add or drop.
  hasSection: () => true,
  dropEmptySection: (text) => text,

  restoreEntries(text, saved) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return Object.values(saved).reduce((out, block) => append(out, block, eol), text);
  },
};

/** The table blocks that define server `name`: its own header and those of its sub-tables. */
function blocksOf(tables: readonly TomlTable[], name: string): TomlTable[] {
  return tables.filter((t) => t.path[0] === SECTION && t.path[1] === name);
}

/** `text` without the given blocks (and, with `withBlankLine`, the blank line that separated each from what was before it). */
function cut(text: string, blocks: readonly TomlTable[], withBlankLine = true): string {
  let out = text;
  for (const block of [...blocks].sort((a, b) => b.start - a.start)) {
    const blank = withBlankLine ? /\n([ \t]*\r?\n)$/.exec(out.slice(0, block.start))?.[1] : undefined;
    const start = block.start - (blank?.length ?? 0);
    out = out.slice(0, start) + out.slice(block.end);
  }
  return out;
}

function append(text: string, block: string, eol: string): string {
  if (text.trim() === '') return block;
  return `${text.endsWith('\n') ? text : text + eol}${eol}${block}`;
}

function withLineEnd(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function renderTable(path: readonly string[], entry: Record<string, unknown>, eol: string): string {
  const lines = [`[${path.map(tomlKey).join('.')}]`, ...Object.entries(entry).map(([key, value]) => `${tomlKey(key)} = ${renderValue(value)}`)];
  return lines.map((line) => line + eol).join('');
}

function renderValue(value: unknown): string {
  if (typeof value === 'string') return tomlString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(renderValue).join(', ')}]`;
  return `{ ${Object.entries(asRecord(value)).map(([k, v]) => `${tomlKey(k)} = ${renderValue(v)}`).join(', ')} }`;
}
