import type { PortInUseError } from '../core/http/listen';
import { urlHost } from '../core/http/listenAddress';

/** What answers on a busy port, when it is a 1MCP agent (another VS Code window, or the CLI). */
export interface OtherAgent {
  readonly version: string;
  readonly backends: number;
}

/** How long to wait for the other process's `/health`. */
const PROBE_MS = 1_000;

/** Asks `/health` on the busy port whether another 1MCP agent listens there; undefined for anything else. */
export async function probeAgent(host: string, port: number): Promise<OtherAgent | undefined> {
  // A timer of our own, not AbortSignal.timeout(): that one does not keep Node waiting for the answer.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), PROBE_MS);
  try {
    const response = await fetch(`http://${urlHost(host)}:${port}/health`, { signal: abort.signal });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { status?: unknown; version?: unknown; backends?: unknown };
    if (body.status !== 'ok' || typeof body.version !== 'string' || !Array.isArray(body.backends)) return undefined;
    return { version: body.version, backends: body.backends.length };
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** The message for a busy port: another 1MCP agent (say so and where), or some other program. */
export function busyPortMessage(error: PortInUseError, other: OtherAgent | undefined): string {
  const where = `port ${error.port} on ${error.host}`;
  if (!other) return `1MCP: ${where} is already in use, so the agent is not running.`;
  return (
    `1MCP: another 1MCP agent (${other.version}, ${other.backends} backend${other.backends === 1 ? '' : 's'}) already serves ${where}, ` +
    'probably from another VS Code window or the CLI. Its clients keep working; this window runs no agent of its own unless you choose another port.'
  );
}
