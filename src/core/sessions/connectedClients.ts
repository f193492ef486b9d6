import type { ClientSession } from '../aggregate/clientSession';
import { ProxySession } from './proxySession';

/** Clients with open sessions, as the Clients view lists them: who, and how many tools they see. */
export interface ConnectedClient {
  /** The name the client gave in `initialize` (`clientInfo.name`). */
  readonly name: string;
  /** The OAuth client whose token opened the sessions, when auth is on. */
  readonly clientId?: string;
  readonly sessions: number;
  /** The tools its sessions may call: its selection, within its grant. */
  readonly tools: number;
  /** Whether they are offered as `search_tools` and `call_tool` rather than listed. */
  readonly search: boolean;
}

/**
 * Open handshake-era sessions grouped by client and by what they see, named sessions only (a session is
 * named once its `initialize` is answered). Sorted by name. A 2026-07-28 client holds no session: its
 * requests stand alone, and its listen streams are not counted.
 */
export function connectedClients(sessions: readonly ClientSession[]): ConnectedClient[] {
  const groups = new Map<string, ConnectedClient>();
  for (const session of sessions) {
    if (!(session instanceof ProxySession)) continue;
    const name = session.clientName;
    if (name === undefined) continue;
    const view = session.catalogView();
    const tools = view.tools.tools.length;
    const search = session.tools.searching(view);
    const clientId = session.owner?.split('/')[0];
    const key = JSON.stringify([name, clientId, tools, search]);
    const group = groups.get(key);
    groups.set(key, { name, ...(clientId !== undefined && { clientId }), tools, search, sessions: (group?.sessions ?? 0) + 1 });
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name) || a.tools - b.tools);
}
