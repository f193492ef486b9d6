import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { serverEntrySchema } from '../core/config/schema';
import type { InputDefinition } from '../core/config/types';
import type { RawServerEntry } from '../core/config/configEdits';
import { agentEntryFrom, asRecord, safeServerName } from '../core/config/foreignEntries';

/** An MCP config file another app keeps, that Import Servers looks for. */
export interface ImportSource {
  /** The app and scope, as the user reads it: "Claude Desktop", "VS Code (workspace my-app)". */
  readonly app: string;
  readonly file: string;
}

/** Where to look; `userDir` is the running editor's `User` folder, `folders` the trusted workspace folders. */
export interface SourceLocations {
  readonly home: string;
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  readonly userDir?: string;
  readonly folders: readonly string[];
}

/** Every config file Import Servers knows of, existing or not, most personal first. */
export function importSources(at: SourceLocations): ImportSource[] {
  const { home, platform, env } = at;
  const appData = env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
  const claudeDesktopDir =
    platform === 'darwin' ? path.join(home, 'Library', 'Application Support', 'Claude')
    : platform === 'win32' ? path.join(appData, 'Claude')
    : path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Claude');
  const sources: ImportSource[] = [];
  if (at.userDir) sources.push({ app: 'VS Code (user)', file: path.join(at.userDir, 'mcp.json') });
  sources.push(
    { app: 'Claude Desktop', file: path.join(claudeDesktopDir, 'claude_desktop_config.json') },
    { app: 'Claude Code', file: path.join(home, '.claude.json') },
    { app: 'Cursor', file: path.join(home, '.cursor', 'mcp.json') },
  );
  for (const folder of at.folders) {
    const name = path.basename(folder);
    sources.push(
      { app: `VS Code (workspace ${name})`, file: path.join(folder, '.vscode', 'mcp.json') },
      { app: `Claude Code (project ${name})`, file: path.join(folder, '.mcp.json') },
      { app: `Cursor (project ${name})`, file: path.join(folder, '.cursor', 'mcp.json') },
    );
  }
  return sources;
}

/** One server found in another app's config. */
export interface FoundServer {
  readonly source: ImportSource;
  /** A name valid in mcp.json (others' names may contain spaces and such). */
  readonly name: string;
  readonly entry: RawServerEntry;
  /** `${input:}` definitions the entry refers to (VS Code files). */
  readonly inputs: readonly InputDefinition[];
}

/** Reads one source; a file that is missing or unreadable yields nothing. */
export async function readSource(source: ImportSource): Promise<FoundServer[]> {
  let text: string;
  try {
    text = await fs.readFile(source.file, 'utf8');
  } catch {
    return [];
  }
  return serversIn(text, source);
}

/** The importable servers in a config file's text: `mcpServers` / `servers`, and Claude Code's per-project ones. */
export function serversIn(text: string, source: ImportSource): FoundServer[] {
  const root = asRecord(parse(text, [], { allowTrailingComma: true }));
  const inputs = Array.isArray(root.inputs) ? (root.inputs as InputDefinition[]) : [];
  const found: FoundServer[] = [];
  const collect = (record: unknown, labelled: ImportSource): void => {
    for (const [rawName, rawEntry] of Object.entries(asRecord(record))) {
      const entry = agentEntryFrom(asRecord(rawEntry));
      if (!serverEntrySchema.safeParse(entry).success) continue;
      const refs = JSON.stringify(entry);
      found.push({ source: labelled, name: safeServerName(rawName), entry, inputs: inputs.filter((i) => refs.includes(`\${input:${i.id}}`)) });
    }
  };
  collect(root.mcpServers, source);
  collect(root.servers, source);
  for (const [project, settings] of Object.entries(asRecord(root.projects))) {
    collect(asRecord(settings).mcpServers, { ...source, app: `${source.app} (project ${path.basename(project)})` });
  }
  return found;
}
