import * as path from 'node:path';
import type { RawServerEntry } from '../config/configEdits';
import { agentEntryFrom, asRecord } from '../config/foreignEntries';

/** Where the user's files are; tests pass a throwaway home. */
export interface ClientLocations {
  readonly home: string;
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
}

/** How a stdio-only client starts `onemcp proxy`: absolute paths, so it works without a shell PATH. */
export interface ProxyCommand {
  /** The Node (or Electron) binary. */
  readonly command: string;
  /** Arguments before `--url`: the bridge's script (`dist/proxy.js`). */
  readonly args: readonly string[];
  /** Extra environment, e.g. `ELECTRON_RUN_AS_NODE=1` when `command` is VS Code's own Electron. */
  readonly env?: Readonly<Record<string, string>>;
}

/** What a client's entry points at. */
export interface AgentEndpoint {
  /** The agent's `/mcp` URL, with a tag selector in its query when one was asked for. */
  readonly url: string;
  readonly proxy: ProxyCommand;
}

/** The name of our entry in every client's config. */
export const ENTRY_NAME = '1mcp';

/**
 * One MCP client that `connect` knows: where its user-level config is, and how it wants an entry.
 * `toAgentEntry` turns one of its own server entries into an mcp.json entry (for "move servers").
 */
export interface ClientDefinition {
  readonly id: string;
  readonly name: string;
  readonly format: 'json' | 'toml';
  /** The user-level config file. */
  file(at: ClientLocations): string;
  /** The folder whose presence means the client is installed. */
  installDir(at: ClientLocations): string;
  entry(endpoint: AgentEndpoint): Record<string, unknown>;
  /** Where an existing entry points (for the status), if it is one we can read. */
  entryUrl(entry: Record<string, unknown>): string | undefined;
  toAgentEntry(raw: Record<string, unknown>): RawServerEntry;
}

/** Joins with the separators of the client's platform (the paths are for that machine). */
const join = (at: ClientLocations, ...parts: string[]): string => (at.platform === 'win32' ? path.win32 : path.posix).join(...parts);
const home = (at: ClientLocations, ...parts: string[]): string => join(at, at.home, ...parts);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The folder Claude Desktop keeps its config in, per platform. */
export function claudeDesktopDir(at: ClientLocations): string {
  if (at.platform === 'darwin') return home(at, 'Library', 'Application Support', 'Claude');
  if (at.platform === 'win32') return join(at, at.env.APPDATA ?? home(at, 'AppData', 'Roaming'), 'Claude');
  return join(at, at.env.XDG_CONFIG_HOME ?? home(at, '.config'), 'Claude');
}

/** Claude Code's folder; `CLAUDE_CONFIG_DIR` moves it, and `.claude.json` with it. */
function claudeCodeDir(at: ClientLocations): string | undefined {
  return at.env.CLAUDE_CONFIG_DIR || undefined;
}

/** Codex's folder: `CODEX_HOME`, else `~/.codex`. */
function codexHome(at: ClientLocations): string {
  return at.env.CODEX_HOME || home(at, '.codex');
}

/** An entry that names a URL under `key` (and maybe `type`) becomes an http (or sse) entry. */
function urlEntry(raw: Record<string, unknown>, key: string, type?: string): RawServerEntry {
  const entry = agentEntryFrom({ ...raw, type: undefined, url: undefined });
  const url = str(raw[key]);
  if (url) Object.assign(entry, { url, ...(type && { type }) });
  return entry;
}

/** Codex's header settings as mcp.json headers; variables it reads become `${env:NAME}`. */
function codexHeaders(raw: Record<string, unknown>): Record<string, unknown> | undefined {
  const headers: Record<string, unknown> = { ...asRecord(raw.http_headers) };
  for (const [name, variable] of Object.entries(asRecord(raw.env_http_headers))) headers[name] = `\${env:${String(variable)}}`;
  if (typeof raw.bearer_token_env_var === 'string') headers.Authorization = `Bearer \${env:${raw.bearer_token_env_var}}`;
  return Object.keys(headers).length > 0 ? headers : undefined;
}

/**
 * The clients `connect` knows, each checked against its own documentation (cited at each entry).
 * Adding one is a row here (see CONTRIBUTING.md, "Add a client to connect").
 */
export const CLIENTS: readonly ClientDefinition[] = [
  {
    // User scope: top-level "mcpServers" of ~/.claude.json, remote entries { "type": "http", "url" }
    // (https://code.claude.com/docs/en/mcp, "MCP installation scopes" and "Add a remote HTTP server").
    id: 'claude-code',
    name: 'Claude Code',
    format: 'json',
    file: (at) => join(at, claudeCodeDir(at) ?? at.home, '.claude.json'),
    installDir: (at) => claudeCodeDir(at) ?? home(at, '.claude'),
    entry: ({ url }) => ({ type: 'http', url }),
    entryUrl: (e) => str(e.url),
    toAgentEntry: (raw) => agentEntryFrom(raw),
  },
  {
    // Global ~/.cursor/mcp.json; a remote server is { "url" } (https://cursor.com/docs/mcp).
    id: 'cursor',
    name: 'Cursor',
    format: 'json',
    file: (at) => home(at, '.cursor', 'mcp.json'),
    installDir: (at) => home(at, '.cursor'),
    entry: ({ url }) => ({ url }),
    entryUrl: (e) => str(e.url),
    toAgentEntry: (raw) => agentEntryFrom(raw),
  },
  {
    // ~/.codeium/windsurf/mcp_config.json; a remote server is { "serverUrl" }, "url" does not connect
    // (https://docs.windsurf.com/windsurf/cascade/mcp).
    id: 'windsurf',
    name: 'Windsurf',
    format: 'json',
    file: (at) => home(at, '.codeium', 'windsurf', 'mcp_config.json'),
    installDir: (at) => home(at, '.codeium', 'windsurf'),
    entry: ({ url }) => ({ serverUrl: url }),
    entryUrl: (e) => str(e.serverUrl) ?? str(e.url),
    toAgentEntry: (raw) => (raw.serverUrl ? urlEntry(raw, 'serverUrl') : agentEntryFrom(raw)),
  },
  {
    // ~/.gemini/settings.json; "httpUrl" is streamable HTTP, "url" is SSE
    // (https://geminicli.com/docs/tools/mcp-server/, "Configuration properties").
    id: 'gemini-cli',
    name: 'Gemini CLI',
    format: 'json',
    file: (at) => home(at, '.gemini', 'settings.json'),
    installDir: (at) => home(at, '.gemini'),
    entry: ({ url }) => ({ httpUrl: url }),
    entryUrl: (e) => str(e.httpUrl) ?? str(e.url),
    toAgentEntry: (raw) => (raw.httpUrl ? urlEntry(raw, 'httpUrl', 'http') : raw.url ? urlEntry(raw, 'url', 'sse') : agentEntryFrom(raw)),
  },
  {
    // $CODEX_HOME/config.toml (default ~/.codex); a streamable HTTP server is a table
    // [mcp_servers.<name>] with url = "…"; stdio ones have command/args/env/cwd, headers are
    // http_headers (https://developers.openai.com/codex/mcp).
    id: 'codex',
    name: 'Codex',
    format: 'toml',
    file: (at) => join(at, codexHome(at), 'config.toml'),
    installDir: codexHome,
    entry: ({ url }) => ({ url }),
    entryUrl: (e) => str(e.url),
    toAgentEntry: (raw) => agentEntryFrom({ ...raw, type: undefined, headers: codexHeaders(raw) }),
  },
  {
    // claude_desktop_config.json starts stdio servers only: { "command", "args", "env" } with absolute
    // paths, since it runs them without a login shell (https://modelcontextprotocol.io/quickstart/user).
    id: 'claude-desktop',
    name: 'Claude Desktop',
    format: 'json',
    file: (at) => join(at, claudeDesktopDir(at), 'claude_desktop_config.json'),
    installDir: claudeDesktopDir,
    entry: ({ url, proxy }) => ({ command: proxy.command, args: [...proxy.args, '--url', url], ...(proxy.env && { env: { ...proxy.env } }) }),
    entryUrl: (e) => {
      const args = Array.isArray(e.args) ? e.args : [];
      const at = args.indexOf('--url');
      return at >= 0 ? str(args[at + 1]) : undefined;
    },
    toAgentEntry: (raw) => agentEntryFrom(raw),
  },
];

/** The client with this id (case-insensitive), or undefined. */
export function findClient(id: string): ClientDefinition | undefined {
  const wanted = id.trim().toLowerCase();
  return CLIENTS.find((c) => c.id === wanted);
}
