import type { Tool } from '@modelcontextprotocol/sdk/types.js';

/**
 * Where an MCP App tool names its UI resource (MCP Apps, `io.modelcontextprotocol/ui`): `_meta.ui.resourceUri`,
 * and the older flat key `_meta["ui/resourceUri"]` that earlier hosts read.
 */
const FLAT_KEY = 'ui/resourceUri';

interface ToolMeta {
  ui?: { resourceUri?: unknown };
  [FLAT_KEY]?: unknown;
}

/** The UI resource URIs a tool names (none for an ordinary tool). */
export function toolUiUris(tool: Tool): string[] {
  const meta = tool._meta as ToolMeta | undefined;
  if (!meta) return [];
  const uris: string[] = [];
  if (typeof meta.ui?.resourceUri === 'string') uris.push(meta.ui.resourceUri);
  if (typeof meta[FLAT_KEY] === 'string' && meta[FLAT_KEY] !== meta.ui?.resourceUri) uris.push(meta[FLAT_KEY]);
  return uris;
}

/** The tool with its UI resource URIs as `rename` gives them; the same object when none changes. */
export function withToolUiUris(tool: Tool, rename: (uri: string) => string): Tool {
  const meta = tool._meta as ToolMeta | undefined;
  if (!meta) return tool;
  const nested = typeof meta.ui?.resourceUri === 'string' ? rename(meta.ui.resourceUri) : undefined;
  const flat = typeof meta[FLAT_KEY] === 'string' ? rename(meta[FLAT_KEY]) : undefined;
  if ((nested === undefined || nested === meta.ui?.resourceUri) && (flat === undefined || flat === meta[FLAT_KEY])) return tool;
  return {
    ...tool,
    _meta: {
      ...meta,
      ...(nested !== undefined && { ui: { ...meta.ui, resourceUri: nested } }),
      ...(flat !== undefined && { [FLAT_KEY]: flat }),
    },
  };
}
