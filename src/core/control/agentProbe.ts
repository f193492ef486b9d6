import * as http from 'node:http';
import { readText } from '../backends/backendHttp';
import type { AgentState, BackendState, ServedBy } from '../state/agentState';

/** What `/health` tells of the agent on a port. */
export interface AgentHealth {
  readonly version: string;
  readonly servedBy?: Pick<ServedBy, 'kind' | 'pid'>;
  /** The config it serves; only a direct request from this machine is told. */
  readonly configPath?: string;
  readonly backends: readonly { readonly name: string; readonly type?: string; readonly status: string; readonly reason?: string; readonly tools?: number }[];
}

/** Who answers on a busy port: a 1MCP agent (its health), nobody any more, or something else (`holder` says what). */
export type ProbeResult = { readonly kind: 'agent'; readonly health: AgentHealth } | { readonly kind: 'gone' } | { readonly kind: 'foreign'; readonly holder: string };

const FOREIGN: ProbeResult = { kind: 'foreign', holder: 'another program (not a 1MCP agent)' };
const SILENT: ProbeResult = { kind: 'foreign', holder: 'a process that does not answer' };

const PROBE_MS = 1_000;
const GONE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);
const STATUSES = new Set<string>(['disabled', 'connecting', 'restarting', 'connected', 'awaiting_oauth', 'error']);

/** Asks `GET /health` at `baseUrl` whether a 1MCP agent listens there. */
export function probeAgent(baseUrl: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = http.get(`${baseUrl}/health`, { headers: { accept: 'application/json' } }, (res) => {
      readText(res).then((text) => resolve(res.statusCode === 200 ? parseHealth(text) : FOREIGN), () => resolve(FOREIGN));
    });
    req.setTimeout(PROBE_MS, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    // Refused or reset: nobody there, or an agent closing right now (its listener goes a moment after its streams).
    req.once('error', (error: NodeJS.ErrnoException) => resolve(GONE_CODES.has(error.code ?? '') ? { kind: 'gone' } : error.code === 'ETIMEDOUT' ? SILENT : FOREIGN));
  });
}

function parseHealth(text: string): ProbeResult {
  try {
    const body = JSON.parse(text) as { status?: unknown; version?: unknown; backends?: unknown; configPath?: unknown; servedBy?: { kind?: unknown; pid?: unknown } };
    if (body.status !== 'ok' || typeof body.version !== 'string' || !Array.isArray(body.backends)) return FOREIGN;
    const { kind, pid } = body.servedBy ?? {};
    const servedBy: AgentHealth['servedBy'] = (kind === 'cli' || kind === 'editor') && typeof pid === 'number' ? { kind, pid } : undefined;
    const configPath = typeof body.configPath === 'string' ? body.configPath : undefined;
    return { kind: 'agent', health: { version: body.version, servedBy, configPath, backends: body.backends as AgentHealth['backends'] } };
  } catch {
    return FOREIGN;
  }
}

/** The state of an agent known only from `/health` (the CLI serves it): read-only, no tools by name. */
export function observedState(health: AgentHealth, base: AgentState, endpoint: string): AgentState {
  const backends: BackendState[] = health.backends.map((b) => ({
    name: String(b.name),
    type: b.type === 'sse' || b.type === 'streamableHttp' || b.type === 'http' ? b.type : 'stdio',
    status: (STATUSES.has(b.status) ? b.status : 'error') as BackendState['status'],
    reason: typeof b.reason === 'string' ? b.reason : undefined,
    stderr: [],
    tags: [],
    disabledTools: [],
    tools: [],
    toolCount: typeof b.tools === 'number' ? b.tools : 0,
    restarts: 0,
    signedIn: false,
    warnings: [],
  }));
  const servedBy: ServedBy = { kind: health.servedBy?.kind ?? 'cli', label: health.servedBy?.kind === 'editor' ? 'another VS Code window' : '1MCP CLI', pid: health.servedBy?.pid ?? 0 };
  return { ...base, phase: 'running', error: undefined, endpoint, backends, servedBy, role: 'observing', pendingApprovals: [], pendingConnections: [], clients: [], toolReviews: [], pendingConfirmations: [] };
}
