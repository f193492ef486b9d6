import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod';
import { DEFAULT_HOST, DEFAULT_PORT } from '../core/endpointDefaults';
import { defaultConfigPath } from '../core/config/configPath';
import { LOG_LEVELS } from '../core/logger';
import { DEFAULT_REGISTRY_URL } from '../core/registry/registryClient';
import { TOOL_MODES, type ToolMode } from '../core/config/words';

/** The `onemcp.*` settings, validated: a value of the wrong type falls back to its default. */
const settingsSchema = z.object({
  port: z.number().int().min(0).max(65535).catch(DEFAULT_PORT),
  host: z.string().trim().min(1).catch(DEFAULT_HOST),
  configPath: z.string().trim().catch(''),
  'auth.enabled': z.boolean().catch(false),
  'auth.scopeValidation': z.boolean().catch(false),
  autoStart: z.boolean().catch(true),
  logLevel: z.enum(LOG_LEVELS).catch('info'),
  editorToolMode: z.enum(TOOL_MODES).catch('auto'),
  registryUrl: z.string().trim().min(1).catch(DEFAULT_REGISTRY_URL),
  otlpEndpoint: z.string().trim().catch(''),
});

export type SettingKey = keyof z.infer<typeof settingsSchema>;

export interface Settings {
  readonly port: number;
  readonly host: string;
  /** Absolute path of the config file: the setting, or the default shared with the 1MCP CLI. */
  readonly configPath: string;
  /** True when the config path is the default one (which is created on first run). */
  readonly defaultConfig: boolean;
  readonly auth: { readonly enabled: boolean; readonly scopeValidation: boolean };
  readonly autoStart: boolean;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** How VS Code's own MCP client is offered the tools: `?mode=` of the URL it is given. */
  readonly editorToolMode: ToolMode;
  /** The MCP Registry that Add Server from Registry searches. */
  readonly registryUrl: string;
  /** An OTLP/HTTP base endpoint calls are traced to (in place of `OTEL_EXPORTER_OTLP_ENDPOINT`); empty: none. */
  readonly otlpEndpoint: string;
}

/**
 * The settings an agent run is built from: when this key changes (a setting edited, or workspace trust
 * granted so workspace values now count) the agent restarts; the other settings apply live.
 */
export function restartKey(settings: Settings): string {
  const { port, host, configPath, auth, otlpEndpoint } = settings;
  return JSON.stringify({ port, host, configPath, auth, otlpEndpoint });
}

/** Reads every setting through `get` (VS Code's `WorkspaceConfiguration.get` for the `onemcp` section). */
export function readSettings(get: (key: SettingKey) => unknown, env: NodeJS.ProcessEnv = process.env): Settings {
  const keys = Object.keys(settingsSchema.shape) as SettingKey[];
  const raw = Object.fromEntries(keys.map((key) => [key, get(key)]));
  // jitless: zod would compile a parser for this shape (a `new Function`), which costs more than the
  // few parses it would speed up; activation reads the settings several times.
  const s = settingsSchema.parse(raw, { jitless: true });
  const configured = expandHome(s.configPath);
  return {
    port: s.port,
    host: s.host,
    configPath: configured ? path.resolve(configured) : defaultConfigPath(env),
    defaultConfig: !configured,
    auth: { enabled: s['auth.enabled'], scopeValidation: s['auth.scopeValidation'] },
    autoStart: s.autoStart,
    logLevel: s.logLevel,
    editorToolMode: s.editorToolMode,
    registryUrl: s.registryUrl,
    otlpEndpoint: s.otlpEndpoint,
  };
}

function expandHome(file: string): string {
  return file === '~' || file.startsWith('~/') ? path.join(os.homedir(), file.slice(1)) : file;
}
