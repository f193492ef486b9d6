import { applyEdits, modify, parse, type FormattingOptions } from 'jsonc-parser';
import { removeMember, setAt, setMember } from './jsonEdits';

/** A server entry as written to mcp.json (the raw file format, not the validated config). */
export type RawServerEntry = Record<string, unknown>;

const FORMAT: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

function sections(text: string): { mcpServers?: Record<string, unknown>; servers?: Record<string, unknown> } {
  const root: unknown = parse(text || '{}', [], { allowTrailingComma: true });
  return typeof root === 'object' && root !== null ? (root as ReturnType<typeof sections>) : {};
}

/** The section new servers go to: `mcpServers`, unless the file only has VS Code's `servers`. */
function sectionForNew(text: string): 'mcpServers' | 'servers' {
  const s = sections(text);
  return s.mcpServers === undefined && s.servers !== undefined ? 'servers' : 'mcpServers';
}

/** The section that defines `name` (`mcpServers` wins, as when loading), if any. */
function sectionOf(text: string, name: string): 'mcpServers' | 'servers' | undefined {
  const s = sections(text);
  if (s.mcpServers && Object.hasOwn(s.mcpServers, name)) return 'mcpServers';
  if (s.servers && Object.hasOwn(s.servers, name)) return 'servers';
  return undefined;
}

/** Names of every server in the file. */
export function serverNames(text: string): string[] {
  const s = sections(text);
  return [...new Set([...Object.keys(s.mcpServers ?? {}), ...Object.keys(s.servers ?? {})])];
}

/** Adds (or replaces) servers, keeping the file's comments and layout (only the entry's lines change). */
export function addServers(text: string, entries: Readonly<Record<string, RawServerEntry>>): string {
  let out = text.trim() === '' ? '{}' : text;
  for (const [name, entry] of Object.entries(entries)) out = setMember(out, sectionOf(out, name) ?? sectionForNew(out), name, entry);
  return out;
}

/** Sets (or, with `undefined`, removes) one field of a server's entry; throws when the file does not define the server. */
export function setServerField(text: string, name: string, field: string, value: unknown): string {
  const section = sectionOf(text, name);
  if (!section) throw new Error(`Server "${name}" is not defined in the config file`);
  return value === undefined ? removeMember(text, [section, name, field]) : setAt(text, [section, name, field], value);
}

/** Removes a server's entry with its lines; throws when the file does not define it. */
export function removeServerEntry(text: string, name: string): string {
  const section = sectionOf(text, name);
  if (!section) throw new Error(`Server "${name}" is not defined in the config file`);
  return removeMember(text, [section, name]);
}

/** Sets or clears `disabled` on a server; throws when the file does not define it. */
export function setDisabled(text: string, name: string, disabled: boolean): string {
  return setServerField(text, name, 'disabled', disabled ? true : undefined);
}

/** A name not in `taken`: `name`, else `name-2`, `name-3`, … */
export function uniqueName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 2; ; i++) if (!taken.has(`${name}-${i}`)) return `${name}-${i}`;
}

/** Adds the `${input:}` definitions whose ids the file does not define yet. */
export function addInputs(text: string, inputs: readonly { readonly id: string }[]): string {
  const root: unknown = parse(text || '{}', [], { allowTrailingComma: true });
  const existing = (root as { inputs?: unknown }).inputs;
  const known = new Set(Array.isArray(existing) ? existing.map((i: { id?: unknown }) => i.id) : []);
  let out = text.trim() === '' ? '{}' : text;
  for (const input of inputs) {
    if (known.has(input.id)) continue;
    known.add(input.id);
    out = applyEdits(out, modify(out, ['inputs', -1], input, { formattingOptions: FORMAT, isArrayInsertion: true }));
  }
  return out;
}
