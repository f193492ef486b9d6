import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { BackendConnection } from '../backends/backendConnection';
import { REFUSAL_META } from '../integrity/refusal';
import { ProxyError } from '../rpcError';
import { BACKEND_STATUS_LABELS, statusDetail } from '../backends/backendStatus';
import type { Catalog } from './catalog';
import { NAMESPACE_SEPARATOR } from './naming';

/** What a session knows to explain a name it cannot use. */
export interface NameContext {
  readonly catalog: Catalog;
  /** Backends in config order. */
  readonly backends: readonly BackendConnection[];
  /** Whether the session's selection includes a backend. */
  sees(backend: string): boolean;
  /** Whether its client could select the backend at all: a token confined to its grant learns nothing beyond it. */
  reachable(backend: string): boolean;
}

const MAX_SUGGESTIONS = 3;

/**
 * Why a session cannot call the tool `name`, in words it can act on (MCP 2025-11-25 Tools: unknown tool
 * is -32602): its backend is outside the selection the session asked for, the config disables it, its
 * backend is not connected (and why), or no such tool exists, with the closest names the session can
 * call. Of a backend outside its token's grant a session learns nothing: its tools are not found.
 */
export function unknownToolError(name: string, context: NameContext): ProxyError {
  const { catalog, sees, reachable } = context;
  const fail = (message: string): ProxyError => new ProxyError(ErrorCode.InvalidParams, message);
  const held = catalog.heldTools.get(name);
  const owner = catalog.tools.get(name)?.backend ?? catalog.disabledTools.get(name) ?? held?.backend;
  const known = owner !== undefined && reachable(owner);
  if (known && !sees(owner)) return fail(`Tool "${name}" is outside this session's selection of backends (the ?tags, ?tag-filter or ?preset it connected with)`);
  if (known && catalog.disabledTools.has(name)) return fail(`Tool "${name}" is disabled in the configuration ("disabledTools" of backend "${owner}")`);
  if (known && held) return heldToolError(name, held.backend, held.original);
  const down = notConnected(name, context);
  if (down) return fail(`Tool "${name}" is not available: ${down}`);
  const visible = [...catalog.tools.values()].filter((e) => sees(e.backend)).map((e) => e.item.name);
  return fail(`Tool "${name}" not found. ${hint(name, visible, 'tools/list')}`);
}

/**
 * A call of a tool held back by its pin: its definition is new or changed since the user accepted the
 * server's tools. The error names the server, the tool and where to review it; its `data` says it was
 * refused by policy (`REFUSAL_META`).
 */
function heldToolError(name: string, server: string, tool: string): ProxyError {
  return new ProxyError(
    ErrorCode.InvalidParams,
    `Tool "${name}" (tool "${tool}" of server "${server}") is held back: its definition is new or changed since the user accepted this server's tools, and it stays blocked until the user reviews it: "onemcp tools review" in a terminal, or the 1MCP notification in VS Code.`,
    { [REFUSAL_META]: 'held', server, tool },
  );
}

/** Why a session cannot get the prompt `name`, with the closest names it can. */
export function unknownPromptError(name: string, context: NameContext): ProxyError {
  const down = notConnected(name, context);
  if (down) return new ProxyError(ErrorCode.InvalidParams, `Prompt "${name}" is not available: ${down}`);
  const visible = [...context.catalog.prompts.values()].filter((e) => context.sees(e.backend)).map((e) => e.item.name);
  return new ProxyError(ErrorCode.InvalidParams, `Prompt "${name}" not found. ${hint(name, visible, 'prompts/list')}`);
}

/** The state of the unconnected backend whose prefix `name` carries, if the session sees one. */
function notConnected(name: string, { backends, sees }: NameContext): string | undefined {
  const backend = backends.find((b) => b.config.prefix !== '' && name.startsWith(`${b.config.prefix}${NAMESPACE_SEPARATOR}`));
  if (!backend || backend.status === 'connected' || !sees(backend.name)) return undefined;
  const detail = statusDetail(backend);
  return `backend "${backend.name}" is not connected: ${BACKEND_STATUS_LABELS[backend.status]}${detail ? ` — ${detail}` : ''}`;
}

function hint(name: string, visible: readonly string[], list: string): string {
  const matches = closeMatches(name, visible);
  if (matches.length > 0) return `Did you mean ${matches.map((m) => `"${m}"`).join(', ')}?`;
  return visible.length === 0 ? 'This session has none: no backend it sees is connected.' : `This session has ${visible.length}; ${list} names them.`;
}

/**
 * The names closest to `wanted`, best first, compared by their own part (what follows `<prefix>_1mcp_`),
 * ignoring case: the same own part (under any prefix), then a few typos away (a missed, extra, wrong or
 * swapped letter), then those whose own part contains it. The same prefix ranks first.
 */
export function closeMatches(wanted: string, names: readonly string[], limit = MAX_SUGGESTIONS): string[] {
  const target = split(wanted);
  const budget = Math.max(1, Math.floor(target.own.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of names) {
    const candidate = split(name);
    const distance = editDistance(target.own, candidate.own, budget);
    const contains = target.own.length >= 3 && candidate.own.includes(target.own);
    if (distance > budget && !contains) continue;
    const otherPrefix = target.prefix !== undefined && target.prefix !== candidate.prefix ? 1 : 0;
    scored.push({ name, score: Math.min(distance, budget + 1) * 2 + otherPrefix });
  }
  return scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name)).slice(0, limit).map((s) => s.name);
}

function split(name: string): { prefix?: string; own: string } {
  const lower = name.toLowerCase();
  const at = lower.indexOf(NAMESPACE_SEPARATOR);
  return at === -1 ? { own: lower } : { prefix: lower.slice(0, at), own: lower.slice(at + NAMESPACE_SEPARATOR.length) };
}

/** Edit distance counting a swap of two neighbours as one edit; `budget + 1` once it must exceed `budget`. */
function editDistance(a: string, b: string, budget: number): number {
  if (Math.abs(a.length - b.length) > budget) return budget + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((rows[i - 1]?.[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (rows[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(value);
    }
    if (Math.min(...row) > budget) return budget + 1;
    rows.push(row);
  }
  return Math.min(rows[a.length]?.[b.length] ?? budget + 1, budget + 1);
}
