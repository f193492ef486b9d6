import { createHash } from 'node:crypto';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/**
 * The parts of a tool's definition that reach the model and so are pinned, in the order a person reads
 * them (MCP 2025-11-25 Tools, "Tool": name, title, description, inputSchema, outputSchema, annotations).
 * Icons and `_meta` are not pinned: they do not go into the model's context.
 */
export const PINNED_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;

/** A tool's definition as pinned: only {@link PINNED_FIELDS}, in that order, the keys of every object in them sorted. */
export type ToolDefinition = { readonly [K in (typeof PINNED_FIELDS)[number]]?: unknown };

/** The pinned part of `tool`, in canonical form: what is hashed, stored and shown. */
export function pinnedDefinition(tool: Tool): ToolDefinition {
  const definition: Record<string, unknown> = {};
  for (const field of PINNED_FIELDS) {
    const value = tool[field];
    if (value !== undefined) definition[field] = canonical(value);
  }
  return definition;
}

/**
 * The definition's canonical JSON: keys sorted at every level, no whitespace. What is hashed, and what
 * a pin keeps in memory (a string takes a fraction of the memory of the objects it stands for).
 */
export function canonicalText(definition: ToolDefinition): string {
  return JSON.stringify(canonical(definition));
}

/** `sha256:<hex>` of a canonical text. */
export function textHash(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** `sha256:<hex>` of the definition's {@link canonicalText}. */
export function definitionHash(definition: ToolDefinition): string {
  return textHash(canonicalText(definition));
}

/** The definition as a person reads it in a diff: the fields in {@link PINNED_FIELDS} order, indented. */
export function definitionText(definition: ToolDefinition): string {
  const ordered: Record<string, unknown> = {};
  for (const field of PINNED_FIELDS) if (definition[field] !== undefined) ordered[field] = canonical(definition[field]);
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** A JSON value with the keys of every object sorted; arrays keep their order (it can matter). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) sorted[key] = canonical(item);
  }
  return sorted;
}
