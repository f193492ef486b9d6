import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { replaceFile, writeFileAtomically } from '../atomicWrite';
import { addServers, serverNames } from '../config/configEdits';
import { editConfigFile, readConfigText } from '../config/editConfigFile';
import { importPlan } from '../config/foreignEntries';
import { defaultConfigPath } from '../config/configPath';
import { serverEntrySchema } from '../config/schema';
import { ENTRY_NAME, type AgentEndpoint, type ClientDefinition, type ClientLocations } from './clientDefinitions';
import { ClientConfigError } from './clientConfigError';
import type { ConfigFormat } from './configFormat';
import { jsonConfigFormat } from './jsonConfigFormat';
import { tomlConfigFormat } from './tomlConfigFormat';

/** The folder for connect's backups: `clients/` in the 1MCP config folder. */
export function clientStateDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(path.dirname(defaultConfigPath(env)), 'clients');
}

/** Where the user's files are, and the folder (under the 1MCP config folder) for backups. */
export interface ClientContext {
  readonly at: ClientLocations;
  readonly stateDir: string;
}

export interface ClientStatus {
  readonly client: ClientDefinition;
  readonly file: string;
  /** Its config folder (or file) exists. */
  readonly installed: boolean;
  /** Our entry is in its config. */
  readonly connected: boolean;
  /** Where our entry points, when connected. */
  readonly url?: string;
  /** The other servers in its config. */
  readonly servers: readonly string[];
  /** Why its config could not be read. */
  readonly problem?: string;
}

export interface ConnectOptions {
  readonly endpoint: AgentEndpoint;
  /** Create the config (and its folder) when the client seems not installed. */
  readonly create?: boolean;
  /** Move the client's other servers into this mcp.json (the agent's config). */
  readonly moveServersTo?: string;
}

export interface ConnectResult {
  readonly file: string;
  readonly created: boolean;
  /** Servers moved into the agent's config: their name in the client, and in mcp.json. */
  readonly moved: readonly { readonly name: string; readonly as: string }[];
  /** Servers that stay in the client: the agent cannot run them, or they are not written as a whole table. */
  readonly kept: readonly string[];
  /** Where the file as it was before is kept. */
  readonly backup: string;
}

export interface DisconnectResult {
  readonly file: string;
  /** `restored`: the file is byte for byte what it was; `removed`: only our entry went (and moved servers came back). */
  readonly outcome: 'restored' | 'removed';
  /** Servers put back into the client's config. */
  readonly returned: readonly string[];
}

/** The backup `connect` keeps: the file's bytes before the first connect, and the hash of what it wrote last. */
const stateSchema = z.object({
  file: z.string(),
  original: z.string().nullable(),
  written: z.string(),
  moved: z.array(z.object({ name: z.string(), as: z.string(), saved: z.string() })),
  createdDir: z.string().optional(),
  /** The servers section was not in the file: connect added it. */
  addedSection: z.boolean().default(false),
});
type ConnectionState = z.infer<typeof stateSchema>;

const FORMATS: Record<ClientDefinition['format'], ConfigFormat> = { json: jsonConfigFormat, toml: tomlConfigFormat };

/** Whether `client` is installed and connected, read from its config. */
export async function clientStatus(client: ClientDefinition, context: ClientContext): Promise<ClientStatus> {
  const file = client.file(context.at);
  const installed = existsSync(client.installDir(context.at)) || existsSync(file);
  try {
    const servers = FORMATS[client.format].servers(await readConfigText(file), file);
    const ours = servers[ENTRY_NAME];
    return { client, file, installed, connected: ours !== undefined, url: ours && client.entryUrl(ours), servers: Object.keys(servers).filter((n) => n !== ENTRY_NAME) };
  } catch (error) {
    return { client, file, installed, connected: false, servers: [], problem: (error as Error).message };
  }
}

/**
 * Writes the `1mcp` entry into the client's user-level config, keeping everything else in the file;
 * backs the file up first (under the 1MCP config folder, with the hash of what was written, so that
 * {@link disconnectClient} can restore it byte for byte) and replaces it atomically, keeping its mode.
 */
export async function connectClient(client: ClientDefinition, context: ClientContext, options: ConnectOptions): Promise<ConnectResult> {
  const file = client.file(context.at);
  const dir = client.installDir(context.at);
  if (!existsSync(dir) && !existsSync(file) && !options.create) {
    throw new ClientConfigError('NOT_INSTALLED', `${client.name} does not seem to be installed: ${dir} does not exist. Use --create to write ${file} anyway.`);
  }
  const format = FORMATS[client.format];
  const before = await readBytes(file);
  const text = before?.toString('utf8') ?? '';
  const servers = format.servers(text, file);
  const state = await readState(client, context);

  let out = format.setEntry(text, ENTRY_NAME, client.entry(options.endpoint));
  const moved: ConnectionState['moved'] = [];
  const movable = Object.entries(servers).filter(([name, raw]) => name !== ENTRY_NAME && serverEntrySchema.safeParse(client.toAgentEntry(raw)).success);
  if (options.moveServersTo && movable.length > 0) {
    const removal = format.removeEntries(out, movable.map(([name]) => name));
    const leaving = movable.filter(([name]) => Object.hasOwn(removal.saved, name));
    const agentConfig = options.moveServersTo;
    const plan = importPlan(leaving.map(([name, raw]) => ({ name, entry: client.toAgentEntry(raw) })), new Set(serverNames(await readConfigText(agentConfig))));
    const assigned = Object.keys(plan.entries);
    await editConfigFile(agentConfig, (current) => addServers(current, plan.entries), { backup: true });
    leaving.forEach(([name], i) => moved.push({ name, as: assigned[i] ?? name, saved: removal.saved[name] ?? '' }));
    out = removal.text;
  }

  const createdDir = before === undefined ? await fs.mkdir(path.dirname(file), { recursive: true }) : undefined;
  await replaceFile(file, out);
  const stateFile = await saveState(client, context, {
    file,
    original: state ? state.original : (before?.toString('base64') ?? null),
    written: sha256(out),
    moved: [...(state?.moved ?? []), ...moved],
    createdDir: state?.createdDir ?? createdDir,
    addedSection: state ? state.addedSection : !format.hasSection(text),
  });
  const movedNames = new Set(moved.map((m) => m.name));
  return {
    file,
    created: before === undefined,
    moved: moved.map(({ name, as }) => ({ name, as })),
    kept: options.moveServersTo ? Object.keys(servers).filter((n) => n !== ENTRY_NAME && !movedNames.has(n)) : [],
    backup: stateFile,
  };
}

/**
 * Undoes {@link connectClient}: when nothing else changed the file since, it gets back its exact bytes
 * (or goes, if connect created it); otherwise only our entry is removed and moved servers are put
 * back. Servers moved into mcp.json stay there too (other clients may use them through the agent now).
 */
export async function disconnectClient(client: ClientDefinition, context: ClientContext): Promise<DisconnectResult> {
  const state = await readState(client, context);
  const file = state?.file ?? client.file(context.at);
  const current = await readBytes(file);
  if (state && current && sha256(current) === state.written) {
    if (state.original === null) await removeCreated(file, state.createdDir);
    else await replaceFile(file, Buffer.from(state.original, 'base64'));
    await fs.rm(stateFile(client, context), { force: true });
    return { file, outcome: 'restored', returned: state.moved.map((m) => m.name) };
  }
  const format = FORMATS[client.format];
  const text = current?.toString('utf8') ?? '';
  const servers = format.servers(text, file);
  if (servers[ENTRY_NAME] === undefined && !state) throw new ClientConfigError('NOT_CONNECTED', `${client.name} is not connected: ${file} has no "${ENTRY_NAME}" entry.`);
  const returning = (state?.moved ?? []).filter((m) => !Object.hasOwn(servers, m.name));
  let out = format.removeEntries(text, [ENTRY_NAME]).text;
  out = format.restoreEntries(out, Object.fromEntries(returning.map((m) => [m.name, m.saved])));
  if (state?.addedSection) out = format.dropEmptySection(out);
  if (current !== undefined) await replaceFile(file, out);
  await fs.rm(stateFile(client, context), { force: true });
  return { file, outcome: 'removed', returned: returning.map((m) => m.name) };
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

async function readBytes(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Removes a file connect created, and the folders it created for it if they are empty. */
async function removeCreated(file: string, createdDir: string | undefined): Promise<void> {
  await fs.rm(file, { force: true });
  if (!createdDir) return;
  for (let dir = path.dirname(file); dir.startsWith(createdDir); dir = path.dirname(dir)) {
    if (!(await fs.rmdir(dir).then(() => true, () => false))) return;
  }
}

function stateFile(client: ClientDefinition, context: ClientContext): string {
  return path.join(context.stateDir, `${client.id}.json`);
}

/** The backup of an earlier connect; a damaged one counts as none (disconnect then removes only our entry). */
async function readState(client: ClientDefinition, context: ClientContext): Promise<ConnectionState | undefined> {
  const bytes = await readBytes(stateFile(client, context));
  if (!bytes) return undefined;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(bytes.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The backup holds the client's whole file, API keys included: 0600 in a 0700 folder. */
async function saveState(client: ClientDefinition, context: ClientContext, state: ConnectionState): Promise<string> {
  await fs.mkdir(context.stateDir, { recursive: true, mode: 0o700 });
  const file = stateFile(client, context);
  await writeFileAtomically(file, `${JSON.stringify(state, null, 2)}\n`, 0o600);
  return file;
}
