import * as path from 'node:path';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type * as z from 'zod';
import { ConfigError, type ConfigIssue } from './configError';
import { configFileSchema } from './schema';
import { parseTagExpression } from '../filter/tagExpression';
import { errorMessage } from '../logger';
import type { AgentConfig, PresetDefinition, ServerConfig } from './types';

/**
 * Parses and validates the text of an `mcp.json` (JSON with comments and trailing commas, as VS Code
 * writes it). Throws a {@link ConfigError} naming `file`, the server and the field at fault.
 */
export function parseConfig(text: string, file: string): AgentConfig {
  const errors: ParseError[] = [];
  const raw: unknown = text.trim() === '' ? {} : parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    throw new ConfigError(
      'CONFIG_PARSE',
      file,
      uniqueBy(errors, (e) => `${e.offset}:${e.error}`)
        .slice(0, 5)
        .map((e) => ({ ...lineAndColumn(text, e.offset), message: describeParseError(e) })),
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('CONFIG_INVALID', file, [{ message: 'the file must contain a JSON object with "mcpServers" (or "servers")' }]);
  }
  // jitless: a file is parsed once per load, and zod's compiled parser costs more to build than it saves.
  const result = configFileSchema.safeParse(raw, { jitless: true });
  if (!result.success) throw new ConfigError('CONFIG_INVALID', file, result.error.issues.map(toConfigIssue));
  const presetIssues = invalidPresets(result.data.presets);
  if (presetIssues.length > 0) throw new ConfigError('CONFIG_INVALID', file, presetIssues);

  const configDir = path.dirname(file);
  const entries = { ...result.data.servers, ...result.data.mcpServers };
  const servers: ServerConfig[] = Object.entries(entries).map(([name, entry]) => ({
    ...entry,
    name,
    type: entry.type ?? (entry.command ? 'stdio' : 'http'),
    prefix: entry.prefix ?? name,
    confirm: entry.confirm ?? result.data.confirm,
    cwd: entry.cwd === undefined || entry.cwd.includes('${') ? entry.cwd : path.resolve(configDir, entry.cwd),
  }));
  return { path: file, servers, inputs: result.data.inputs, presets: result.data.presets, clients: result.data.clients, activity: result.data.activity };
}

function invalidPresets(presets: Record<string, PresetDefinition>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const [name, preset] of Object.entries(presets)) {
    if (typeof preset !== 'string') continue;
    try {
      parseTagExpression(preset);
    } catch (error) {
      issues.push({ field: `presets.${name}`, message: errorMessage(error) });
    }
  }
  return issues;
}

function toConfigIssue(issue: z.core.$ZodIssue): ConfigIssue {
  // A bad record key carries the key's own validation failure one level down.
  const message = issue.code === 'invalid_key' ? `invalid name: ${issue.issues[0]?.message ?? issue.message}` : issue.message;
  const [section, server, ...rest] = issue.path.map((p) => (typeof p === 'symbol' ? p.toString() : p));
  if ((section === 'mcpServers' || section === 'servers') && typeof server === 'string') {
    return rest.length > 0 ? { server, field: formatPath(rest), message } : { server, message };
  }
  const all = [section, server, ...rest].filter((p) => p !== undefined);
  return all.length > 0 ? { field: formatPath(all), message } : { message };
}

function formatPath(parts: readonly (string | number)[]): string {
  return parts.reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && Boolean(seen.add(key(item))));
}

/** The 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** A jsonc-parser error code as words: "Property name expected". */
export function describeParseError(error: ParseError): string {
  const words = printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
