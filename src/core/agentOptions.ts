import type { ActivityOptions } from './activity/activityRecorder';
import type { AuthOptions } from './auth/authOptions';
import type { InputResolver } from './config/substitute';
import type { ControlOptions } from './http/control/controlRoute';
import type { HttpLimits } from './http/limits';
import type { Logger } from './logger';
import type { SecretStore } from './secrets/secretStore';
import type { ServedBy } from './state/agentState';

/** What an agent (agent.ts) serves, where, and with what around it. */
export interface AgentOptions {
  /** The mcp.json to serve. */
  readonly configPath: string;
  /** When the config file does not exist: serve no servers and create it (the user's default config on first run). */
  readonly createConfig?: boolean;
  /** Bind address; 127.0.0.1 unless the user chose otherwise. */
  readonly host?: string;
  /** TCP port; 0 picks a free one. */
  readonly port?: number;
  /** Public base URL when the agent sits behind a proxy; its host is then accepted in Host/Origin. */
  readonly externalUrl?: string;
  readonly logger: Logger;
  readonly resolveInput?: InputResolver;
  readonly env?: NodeJS.ProcessEnv;
  /** Serve only backends carrying one of these tags (CLI `--tags`); every backend when absent. */
  readonly tags?: readonly string[];
  /** Reload when the config file changes (default true). */
  readonly watchConfig?: boolean;
  /** Where tokens and client registrations are kept; in memory (lost on exit) when absent. */
  readonly secrets?: SecretStore;
  /** Client authorization (OAuth 2.1 with `tag:` scopes); off when absent. */
  readonly auth?: AuthOptions;
  /** Who runs this agent, as followers and `/health` name it; the CLI when absent. */
  readonly servedBy?: ServedBy;
  /** The control channel for VS Code windows that follow this agent (see http/control/); none when absent. */
  readonly control?: ControlOptions;
  /**
   * The activity record: `file` (JSON lines, in the agent's state folder) keeps it across restarts;
   * in memory only when absent. `false` records nothing (to measure what recording costs).
   */
  readonly activity?: ActivityOptions | false;
  /** An OTLP/HTTP base endpoint for traces, in place of `OTEL_EXPORTER_OTLP_ENDPOINT` (VS Code's `onemcp.otlpEndpoint`). */
  readonly otlpEndpoint?: string;
  /**
   * The folder where the agent keeps what outlives a run besides secrets: the tool pins
   * (`tool-pins.json`) and the terminal key. Pins stay in memory, and no terminal may act, when absent.
   */
  readonly stateDir?: string;
  /** Bounds on sessions and connections per client and overall; DEFAULT_LIMITS for what is not given. */
  readonly limits?: Partial<HttpLimits>;
}
