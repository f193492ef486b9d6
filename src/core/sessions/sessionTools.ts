import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Catalog, CatalogView } from '../aggregate/catalog';
import { sharedResult } from '../sharedJson';
import { CALL_TOOL, SEARCH_TOOLS, searchInstructions, searchModeTools, searchResult, toolError } from '../search/searchTools';
import { ToolIndex } from '../search/toolIndex';
import type { ToolMode } from '../config/words';
import { searches, type ToolModeChoice } from './toolMode';

/** Where a view's tools come from: the catalog that routes them, and each backend's prefix and tags. */
export interface ToolOrigins {
  readonly catalog: Catalog;
  readonly backends: { get(name: string): { readonly config: { readonly prefix: string; readonly tags: readonly string[] } } | undefined };
}

/** A `tools/call` after search mode had its say: answered here, or the direct call to make. */
export type ToolCall = { readonly result: CallToolResult } | { readonly params: Record<string, unknown> };

/**
 * One index per shared tool list: a catalog view is built once per catalog and selection and shared by
 * every session with that selection, and so is its index. A new catalog (hot reload, a backend
 * connecting, a backend's list_changed) makes new views, so the index follows the catalog.
 */
const indexes = new WeakMap<object, ToolIndex>();
/** The search-mode lists of each shared view, so that sessions compare and send them as shared results. */
const searchViews = new WeakMap<CatalogView, CatalogView>();

/** The search index of a view's tools, built on first use. */
function toolIndexFor(tools: CatalogView['tools'], origins: ToolOrigins): ToolIndex {
  let index = indexes.get(tools);
  if (!index) {
    index = new ToolIndex(
      tools.tools.map((tool) => {
        const server = serverOf(tool.name, origins);
        const config = origins.backends.get(server)?.config;
        return { tool, server, serverWords: config ? [config.prefix, ...config.tags] : [] };
      }),
    );
    indexes.set(tools, index);
  }
  return index;
}

function serverOf(toolName: string, origins: ToolOrigins): string {
  return origins.catalog.tools.get(toolName)?.backend ?? '';
}

/** How many of a view's tools each server offers, in catalog order (no index needed). */
function toolsPerServer(tools: CatalogView['tools'], origins: ToolOrigins): Map<string, number> {
  const counts = new Map<string, number>();
  for (const tool of tools.tools) {
    const server = serverOf(tool.name, origins);
    counts.set(server, (counts.get(server) ?? 0) + 1);
  }
  return counts;
}

/**
 * What one session's tools look like under its tool mode: the catalog view as it is, or, in search mode,
 * the same view with `search_tools` and `call_tool` in place of the tools. Prompts and resources are
 * never touched. Works on a view and a `tools/call`'s params, so any transport or protocol era can use it.
 */
export class SessionTools {
  private settled?: ToolMode;

  constructor(
    private readonly choose: ToolModeChoice,
    private readonly origins: ToolOrigins,
    /** The name the client gave in `initialize`, once known. */
    private readonly clientName: () => string | undefined,
  ) {}

  /** The session's mode; fixed once the client has named itself. */
  get mode(): ToolMode {
    if (this.settled) return this.settled;
    const name = this.clientName();
    const mode = this.choose(name);
    if (name !== undefined) this.settled = mode;
    return mode;
  }

  /** Whether the session is offered the search tools with `view`. */
  searching(view: CatalogView): boolean {
    return searches(this.mode, view.tools.tools.length);
  }

  /** The lists the session is sent. */
  lists(view: CatalogView): CatalogView {
    if (!this.searching(view)) return view;
    let lists = searchViews.get(view);
    if (!lists) {
      lists = { ...view, tools: sharedResult({ tools: searchModeTools([...toolsPerServer(view.tools, this.origins).keys()]) }) };
      searchViews.set(view, lists);
    }
    return lists;
  }

  /** The search-mode part of the server instructions, when the session starts in search mode. */
  instructions(view: CatalogView): string | undefined {
    return this.searching(view) ? searchInstructions(toolsPerServer(view.tools, this.origins)) : undefined;
  }

  /**
   * A `tools/call` in search mode: `search_tools` is answered here; `call_tool` becomes the direct call
   * of the tool it names, with the request's other params (`_meta` with its progress token) kept, so it
   * is served, refused and relayed exactly as that direct call. Anything else is a direct call already.
   */
  call(params: Record<string, unknown>, view: () => CatalogView): ToolCall {
    // tools/call is the hot path: a session that lists every tool pays for nothing more here.
    if (this.mode === 'all') return { params };
    const current = view();
    if (!this.searching(current)) return { params };
    if (params.name === SEARCH_TOOLS) return { result: searchResult(toolIndexFor(current.tools, this.origins), params.arguments) };
    if (params.name !== CALL_TOOL) return { params };
    const { name, arguments: args } = (typeof params.arguments === 'object' && params.arguments !== null ? params.arguments : {}) as { name?: unknown; arguments?: unknown };
    if (typeof name !== 'string' || name === '') return { result: toolError('call_tool needs the "name" of a tool that search_tools returned') };
    if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args))) return { result: toolError('call_tool: "arguments" must be an object') };
    return { params: { ...params, name, arguments: args ?? {} } };
  }
}
