import type * as z from 'zod';
import type { backendOAuthSchema, inputSchema, presetSchema } from './schema';
import type { ConfirmPolicy, ProtocolPreference, ToolMode, TransportType } from './words';

export type BackendOAuthConfig = z.infer<typeof backendOAuthSchema>;
export type InputDefinition = z.infer<typeof inputSchema>;
export type PresetDefinition = z.infer<typeof presetSchema>;

/** Per-client defaults from the config's `"clients"` section, keyed by the client's `clientInfo.name` or `"*"`. */
export type ClientDefaults = Readonly<Record<string, { readonly toolMode?: ToolMode }>>;

/** One backend server after validation, with its name and its transport type resolved. */
export interface ServerConfig {
  readonly name: string;
  readonly type: TransportType;
  readonly command?: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly url?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly tags: readonly string[];
  readonly disabled: boolean;
  readonly disabledTools: readonly string[];
  /** Namespace prefix; the server name unless set ("" exposes names unchanged). */
  readonly prefix: string;
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly restartOnExit: boolean;
  readonly maxRestarts: number;
  readonly restartDelay: number;
  readonly oauth?: BackendOAuthConfig;
  /** The protocol era spoken to the server (`auto` negotiates). */
  readonly protocol: ProtocolPreference;
  /** Whether its tool definitions are pinned (changed or new tools held back until accepted). */
  readonly pinTools: boolean;
  /** Which of its tools the agent asks the calling client about before they run (its own, else the top level's). */
  readonly confirm: ConfirmPolicy;
}

/** A whole validated config file. */
export interface AgentConfig {
  /** Absolute path of the file this came from, if any. */
  readonly path?: string;
  readonly servers: readonly ServerConfig[];
  readonly inputs: readonly InputDefinition[];
  readonly presets: Readonly<Record<string, PresetDefinition>>;
  /** Per-client defaults (the `"clients"` section), by `clientInfo.name` or `"*"`. */
  readonly clients: ClientDefaults;
  /** The activity record (`"activity"`): whether calls' arguments are recorded (secrets cut out). */
  readonly activity: { readonly arguments: boolean };
}
