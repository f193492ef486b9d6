import type { IncomingHttpHeaders } from 'node:http';

/**
 * Why the `Mcp-Param-{Name}` headers of a `tools/call` do not mirror its arguments, or undefined when
 * they do (MCP 2026-07-28 Streamable HTTP, "Custom Headers from Tool Parameters"). Each property of the
 * tool's `inputSchema` annotated with `x-mcp-header`, reached through `properties` only, names a header
 * that must be present exactly when the argument at that path is, and carry its value (Base64 sentinel
 * decoded; integers compared as numbers).
 */
export function paramHeaderMismatch(inputSchema: unknown, args: unknown, headers: IncomingHttpHeaders): string | undefined {
  for (const { name, path } of headerParams(inputSchema)) {
    const value = valueAt(args, path);
    const raw = headers[`mcp-param-${name.toLowerCase()}`];
    const header = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined || value === null) {
      if (header !== undefined) return `Mcp-Param-${name} is sent but the argument ${path.join('.')} is absent`;
      continue;
    }
    if (header === undefined) return `Mcp-Param-${name} is required: the argument ${path.join('.')} is present`;
    const decoded = decodeSentinel(header);
    const matches = typeof value === 'number' ? Number(decoded) === value : decoded === String(value);
    if (!matches) return `Mcp-Param-${name} header ${JSON.stringify(decoded)} does not match the argument ${path.join('.')}`;
  }
  return undefined;
}

/** A header value, with the `=?base64?…?=` sentinel decoded. */
export function decodeSentinel(value: string): string {
  const sentinel = /^=\?base64\?(.*)\?=$/.exec(value);
  return sentinel ? Buffer.from(sentinel[1] ?? '', 'base64').toString('utf8') : value;
}

/** Catalog items never change, so each tool's schema is walked once, not on every call. */
const paramsBySchema = new WeakMap<object, readonly { name: string; path: string[] }[]>();

function headerParams(schema: unknown): readonly { name: string; path: string[] }[] {
  if (typeof schema !== 'object' || schema === null) return [];
  let params = paramsBySchema.get(schema);
  if (!params) {
    params = annotatedProperties(schema);
    paramsBySchema.set(schema, params);
  }
  return params;
}

function annotatedProperties(schema: unknown, path: readonly string[] = []): { name: string; path: string[] }[] {
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  if (typeof properties !== 'object' || properties === null) return [];
  return Object.entries(properties).flatMap(([key, property]) => {
    const name = (property as { 'x-mcp-header'?: unknown } | undefined)?.['x-mcp-header'];
    const here = [...path, key];
    return [...(typeof name === 'string' ? [{ name, path: here }] : []), ...annotatedProperties(property, here)];
  });
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((at, key) => (typeof at === 'object' && at !== null && Object.hasOwn(at, key) ? (at as Record<string, unknown>)[key] : undefined), value);
}
