import { uniqueName, type RawServerEntry } from './configEdits';
import type { InputDefinition } from './types';

const KEPT_FIELDS = ['type', 'command', 'args', 'env', 'cwd', 'url', 'headers'] as const;
const TYPES: Record<string, string> = { stdio: 'stdio', http: 'http', sse: 'sse', streamableHttp: 'streamableHttp', 'streamable-http': 'streamableHttp' };

/**
 * An mcp.json entry from a server entry in another app's config (Claude, Cursor, VS Code…): the
 * fields the agent understands, with someone else's transport names mapped to ours (unknown ones are
 * left out, so the type is inferred from `command` / `url`).
 */
export function agentEntryFrom(raw: Record<string, unknown>): RawServerEntry {
  const entry: RawServerEntry = {};
  for (const field of KEPT_FIELDS) if (raw[field] !== undefined) entry[field] = raw[field];
  const type = typeof raw.type === 'string' && Object.hasOwn(TYPES, raw.type) ? TYPES[raw.type] : undefined;
  if (type) entry.type = type;
  else delete entry.type;
  return entry;
}

/** A name valid in mcp.json for a server another app names (others' names may contain spaces and such). */
export function safeServerName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return clean || 'server';
}

/** `value` when it is a plain object, else an empty one: for reading files others wrote. */
export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A server to add to mcp.json, with the `${input:}` definitions it refers to. */
export interface ImportedServer {
  readonly name: string;
  readonly entry: RawServerEntry;
  readonly inputs?: readonly InputDefinition[];
}

/** The entries to add for `servers` (renamed where a name is taken) and the inputs they use. */
export function importPlan(servers: readonly ImportedServer[], existing: ReadonlySet<string>): { entries: Record<string, RawServerEntry>; inputs: InputDefinition[] } {
  const taken = new Set(existing);
  const entries: Record<string, RawServerEntry> = {};
  for (const server of servers) {
    const name = uniqueName(server.name, taken);
    taken.add(name);
    entries[name] = server.entry;
  }
  return { entries, inputs: servers.flatMap((s) => s.inputs ?? []) };
}
