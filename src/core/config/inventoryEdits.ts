import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { addInputs, addServers, removeServerEntry, serverNames, setServerField, type RawServerEntry } from './configEdits';
import { ConfigError, type ConfigIssue } from './configError';
import { editConfigFile, readConfigText } from './editConfigFile';
import { parseConfig } from './parseConfig';
import type { InputDefinition } from './types';

export type InventoryErrorCode = 'EXISTS' | 'UNKNOWN_SERVER' | 'INVALID';

/** A change to the server inventory that cannot be made; nothing was written. */
export class InventoryError extends Error {
  constructor(readonly code: InventoryErrorCode, message: string) {
    super(message);
    this.name = 'InventoryError';
  }
}

/** Backups of the config kept beside it (`mcp.json.bak-<time>`); older ones are deleted. */
const BACKUPS_KEPT = 10;

/**
 * Changes the inventory in `file` in place (comments and layout kept, only the lines of what changed),
 * after copying the old file beside it, and replaces the file atomically; the agent serving it applies
 * the change through hot reload. Nothing is written when `change` throws or changes nothing, when the
 * file does not parse, or when the change would make the config invalid (it may stay as invalid as it
 * was elsewhere).
 */
export async function editInventory(file: string, change: (text: string) => string): Promise<{ readonly changed: boolean; readonly backup?: string }> {
  const unchanged = new Error('unchanged');
  try {
    const backup = await editConfigFile(
      file,
      (before) => {
        const after = checked(file, before, change(refuseUnparsable(file, before)));
        if (after === before) throw unchanged;
        return after;
      },
      { backup: true },
    );
    if (backup) await pruneBackups(file);
    return { changed: true, backup };
  } catch (error) {
    if (error === unchanged) return { changed: false };
    throw error;
  }
}

/** What `change` would make of the file, checked as {@link editInventory} checks it; nothing is written. */
export async function previewInventory(file: string, change: (text: string) => string): Promise<string> {
  const before = await readConfigText(file);
  return checked(file, before, change(refuseUnparsable(file, before)));
}

/** Adds a server; a name the file already has is refused. */
export function addServer(text: string, name: string, entry: RawServerEntry, inputs: readonly InputDefinition[] = []): string {
  if (serverNames(text).includes(name)) throw new InventoryError('EXISTS', `A server named "${name}" is already in the config: remove it first, or choose another name`);
  return addInputs(addServers(text, { [name]: entry }), inputs);
}

/** Removes a server with its lines. */
export function removeServer(text: string, name: string): string {
  requireServer(text, name);
  return removeServerEntry(text, name);
}

/** Sets or clears `disabled`. */
export function setServerDisabled(text: string, name: string, disabled: boolean): string {
  requireServer(text, name);
  return setServerField(text, name, 'disabled', disabled ? true : undefined);
}

/** Adds `tool` to a server's `disabledTools`, or takes it out (the field goes when it is empty). */
export function setToolDisabled(text: string, name: string, tool: string, disabled: boolean): string {
  const entry = requireServer(text, name);
  const current = Array.isArray(entry.disabledTools) ? entry.disabledTools.filter((t): t is string => typeof t === 'string') : [];
  const next = disabled ? [...new Set([...current, tool])] : current.filter((t) => t !== tool);
  return setServerField(text, name, 'disabledTools', next.length ? next : undefined);
}

/** The raw entries of the file by name (`mcpServers` over `servers`, as when loading). */
export function rawServers(text: string): Record<string, RawServerEntry> {
  const root = parse(text || '{}', [], { allowTrailingComma: true }) as { mcpServers?: unknown; servers?: unknown } | undefined;
  const section = (value: unknown): Record<string, RawServerEntry> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, RawServerEntry>) : {});
  return { ...section(root?.servers), ...section(root?.mcpServers) };
}

function requireServer(text: string, name: string): RawServerEntry {
  const entry = rawServers(text)[name];
  if (entry && typeof entry === 'object') return entry;
  const names = serverNames(text);
  throw new InventoryError('UNKNOWN_SERVER', `No server named "${name}" in the config. ${names.length ? `Its servers: ${names.join(', ')}` : 'It has no servers yet'}`);
}

function refuseUnparsable(file: string, text: string): string {
  try {
    parseConfig(text, file);
  } catch (error) {
    if (error instanceof ConfigError && error.code === 'CONFIG_PARSE') throw error;
  }
  return text;
}

/** `after`, unless it has a problem `before` did not have. */
function checked(file: string, before: string, after: string): string {
  const known = new Set(issuesOf(file, before).map(issueKey));
  const added = issuesOf(file, after).filter((issue) => !known.has(issueKey(issue)));
  if (added.length) {
    const lines = added.map((i) => `  - ${[i.server && `server "${i.server}"`, i.field && `field "${i.field}"`].filter(Boolean).join(', ')}${i.server || i.field ? ': ' : ''}${i.message}`);
    throw new InventoryError('INVALID', `That would make ${file} invalid, so nothing was written:\n${lines.join('\n')}`);
  }
  return after;
}

function issuesOf(file: string, text: string): readonly ConfigIssue[] {
  try {
    parseConfig(text, file);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
}

function issueKey(issue: ConfigIssue): string {
  return JSON.stringify([issue.server, issue.field, issue.message]);
}

async function pruneBackups(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.bak-`;
  const backups = (await fs.readdir(dir)).filter((f) => f.startsWith(prefix)).sort();
  // ISO times sort as text: the oldest come first.
  for (const old of backups.slice(0, Math.max(0, backups.length - BACKUPS_KEPT))) await fs.rm(path.join(dir, old), { force: true });
}
