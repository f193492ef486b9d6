import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ConfirmPolicy } from '../config/words';

/**
 * Whether a call of `tool` needs the user's yes first under `policy`: `destructive` asks for tools whose
 * annotations say `destructiveHint: true` and not `readOnlyHint: true` (MCP 2025-11-25 Tools,
 * "ToolAnnotations": hints a server gives, so a server could lie, but one that says so is asked about);
 * a list asks for tools whose own name matches one of its patterns.
 */
export function needsConfirmation(policy: ConfirmPolicy, tool: Pick<Tool, 'name' | 'annotations'>): boolean {
  if (policy === 'none') return false;
  if (policy === 'all') return true;
  if (policy === 'destructive') return tool.annotations?.destructiveHint === true && tool.annotations.readOnlyHint !== true;
  return policy.some((pattern) => namePattern(pattern).test(tool.name));
}

const compiled = new Map<string, RegExp>();

/**
 * A tool-name pattern as a regular expression over the whole name: `*` is any run of characters
 * (none too), `?` exactly one, everything else itself (case matters, as in tool names).
 */
export function namePattern(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
    regex = new RegExp(`^${source}$`, 'su');
    compiled.set(pattern, regex);
  }
  return regex;
}
