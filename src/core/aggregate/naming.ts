import { createHash } from 'node:crypto';

/** Separator between a server's prefix and a name it exposes; the 1MCP scheme, `<server>_1mcp_<tool>`. */
export const NAMESPACE_SEPARATOR = '_1mcp_';

/** What Claude and OpenAI clients accept as a tool name. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_TOOL_NAME = 64;
const HASH_LENGTH = 8;

/** `<prefix>_1mcp_<name>`, or `name` unchanged when the prefix is empty. Used for prompts and resource URIs. */
export function namespaced(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}${NAMESPACE_SEPARATOR}${name}`;
}

/**
 * The tool name clients see. A name that is too long or has characters outside `[A-Za-z0-9_-]` is
 * cleaned and cut, then ends in `_` plus a hash of the full name: deterministic, stable across restarts,
 * and distinct for distinct originals.
 */
export function exposedToolName(prefix: string, name: string): string {
  const full = namespaced(prefix, name);
  if (TOOL_NAME_PATTERN.test(full)) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  const clean = full.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${clean.slice(0, MAX_TOOL_NAME - HASH_LENGTH - 1)}_${hash}`;
}

/** The original name behind `exposed` if it carries `prefix`, else undefined. */
export function stripNamespace(prefix: string, exposed: string): string | undefined {
  if (prefix === '') return exposed;
  const head = `${prefix}${NAMESPACE_SEPARATOR}`;
  return exposed.startsWith(head) ? exposed.slice(head.length) : undefined;
}
