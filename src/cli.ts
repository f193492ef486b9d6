import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Agent } from './core/agent';
import { DEFAULT_HOST, DEFAULT_PORT } from './core/endpointDefaults';
import { ConfigError } from './core/config/configError';
import { probeAgent } from './core/control/agentProbe';
import { PortInUseError } from './core/http/listen';
import { urlHost } from './core/listenAddress';
import { defaultConfigPath, defaultStateDir } from './core/config/configPath';
import { setUnexpectedErrorHandler } from './core/event';
import { createStreamLogger, errorMessage, isLogLevel, LOG_LEVELS, type Logger, type LogLevel } from './core/logger';
import { FileSecretStore } from './core/secrets/fileSecretStore';
import type { AgentState } from './core/state/agentState';
import { statusDetail } from './core/backends/backendStatus';
import { AGENT_VERSION } from './core/version';
import { cliInputResolver } from './cliInputs';
import { UsageError } from './usageError';

const USAGE = `Usage: onemcp [serve] [options]      serve an mcp.json's servers as one MCP endpoint
       onemcp proxy [options]        a stdio MCP server that forwards to a running agent
       onemcp connect [<client>]     point a client's own config at the agent
       onemcp disconnect <client>    undo connect
       onemcp list [--json]          the config's servers, live status when an agent serves it
       onemcp add <name> -- <command> [args...] | onemcp add <name> --url <url>
                                     add a server to the config
       onemcp remove|enable|disable <name>
       onemcp tools enable|disable <server> <tool>
       onemcp tools review [--json] | onemcp tools accept <server> [<tool>...]
                                     tools held back since they changed or appeared
       onemcp registry search <words> | onemcp registry show <name>
                                     find servers in the MCP Registry
       onemcp install <name>         add a server from the MCP Registry
       onemcp activity [--follow]    the calls clients make through the running agent
(onemcp <command> --help for each command's options)

Serves every MCP server in an mcp.json as one streamable HTTP endpoint.

Options (environment variable in brackets):
  -c, --config <file>        config file [ONE_MCP_CONFIG]
                             (default ${defaultConfigPath()}, or the bundled example if that does not exist)
  -P, --port <port>          port to listen on [ONE_MCP_PORT] (default ${DEFAULT_PORT})
  -H, --host <address>       address to bind [ONE_MCP_HOST] (default ${DEFAULT_HOST})
  -u, --external-url <url>   public URL when behind a reverse proxy [ONE_MCP_EXTERNAL_URL]
  -g, --tags <a,b>           serve only backends with one of these tags [ONE_MCP_TAGS]
      --log-level <level>    ${LOG_LEVELS.join(' | ')} [ONE_MCP_LOG_LEVEL] (default info)
      --enable-auth          require OAuth tokens the user approved [ONE_MCP_ENABLE_AUTH]
      --enable-scope-validation
                             confine each token to its granted tag:<name> scopes
                             (needs --enable-auth) [ONE_MCP_ENABLE_SCOPE_VALIDATION]
  -h, --help                 show this help
  -v, --version              show the version

Every call is recorded (onemcp activity shows them; kept in activity.jsonl beside the default config).
With OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) set, calls are traced too:
OpenTelemetry's MCP conventions, over OTLP/HTTP (OTEL_EXPORTER_OTLP_PROTOCOL http/protobuf or http/json,
OTEL_EXPORTER_OTLP_HEADERS, OTEL_SERVICE_NAME).`;

export interface CliOptions {
  configPath: string;
  usingExample: boolean;
  port: number;
  host: string;
  externalUrl?: string;
  tags?: string[];
  logLevel: LogLevel;
  enableAuth: boolean;
  enableScopeValidation: boolean;
}

/** Reads flags, then `ONE_MCP_*` variables, then defaults; the same names as the 1MCP CLI. */
export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions | 'help' | 'version' {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'P' },
      host: { type: 'string', short: 'H' },
      'external-url': { type: 'string', short: 'u' },
      tags: { type: 'string', short: 'g' },
      'log-level': { type: 'string' },
      'enable-auth': { type: 'boolean' },
      'enable-scope-validation': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const command = positionals[0] ?? 'serve';
  if (command !== 'serve' || positionals.length > 1) throw new UsageError(`Unknown command: ${positionals.join(' ')}`);

  const portText = values.port ?? env.ONE_MCP_PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got "${portText}"`);
  const logLevel = values['log-level'] ?? env.ONE_MCP_LOG_LEVEL ?? 'info';
  if (!isLogLevel(logLevel)) throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const externalUrl = values['external-url'] ?? env.ONE_MCP_EXTERNAL_URL;
  if (externalUrl !== undefined && !URL.canParse(externalUrl)) throw new UsageError(`--external-url is not a URL: "${externalUrl}"`);

  const tagsText = values.tags ?? env.ONE_MCP_TAGS;
  const tags = tagsText?.split(',').map((t) => t.trim()).filter(Boolean);
  if (tags !== undefined && tags.length === 0) throw new UsageError('--tags needs at least one tag');

  const enableAuth = values['enable-auth'] ?? envFlag(env, 'ONE_MCP_ENABLE_AUTH');
  const enableScopeValidation = values['enable-scope-validation'] ?? envFlag(env, 'ONE_MCP_ENABLE_SCOPE_VALIDATION');
  if (enableScopeValidation && !enableAuth) throw new UsageError('--enable-scope-validation needs --enable-auth');

  const explicit = values.config ?? env.ONE_MCP_CONFIG;
  const fallback = defaultConfigPath(env);
  const usingExample = explicit === undefined && !existsSync(fallback);
  const configPath = path.resolve(explicit ?? (usingExample ? bundledExamplePath() : fallback));
  return { configPath, usingExample, port, host: values.host ?? env.ONE_MCP_HOST ?? DEFAULT_HOST, externalUrl, tags, logLevel, enableAuth, enableScopeValidation };
}

/** A boolean environment variable: `true`/`1`/`yes` or `false`/`0`/`no`/unset. */
function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '' || ['false', '0', 'no'].includes(value)) return false;
  if (['true', '1', 'yes'].includes(value)) return true;
  throw new UsageError(`${name} must be true or false, got "${env[name] ?? ''}"`);
}

/** The headless secret store: a 0600 file in the user's 1MCP config folder, whichever config is served. */
export function secretsFilePath(env: NodeJS.ProcessEnv): string {
  return path.join(defaultStateDir(env), 'agent-secrets.json');
}

/** The activity record of the headless agent: JSON lines beside its secrets file, whichever config is served. */
export function activityFilePath(env: NodeJS.ProcessEnv): string {
  return path.join(defaultStateDir(env), 'activity.jsonl');
}

/** The example config shipped with the project: real published servers started from node_modules. */
function bundledExamplePath(): string {
  return path.resolve(__dirname, '..', 'examples', 'mcp.json');
}

const SUBCOMMANDS = ['proxy', 'connect', 'disconnect', 'list', 'add', 'remove', 'enable', 'disable', 'tools', 'registry', 'install', 'activity'] as const;
type Subcommand = (typeof SUBCOMMANDS)[number];

/** The commands beside serve, each in its own module. */
async function runSubcommand(command: Subcommand, argv: readonly string[]): Promise<number> {
  // Loaded only for their commands: the serving agent idles in its own process for hours, and what it
  // never runs should not take its memory.
  const { ClientConfigError } = await import('./core/clients/clientConfigError');
  try {
    if (command === 'proxy') return await (await import('./bridge/proxyCommand')).runProxyCommand(argv, process.env);
    if (command === 'list') return await (await import('./listCommand')).runListCommand(argv, process.env);
    if (command === 'registry') return await (await import('./registryCommand')).runRegistryCommand(argv, process.env);
    if (command === 'install') return await (await import('./installCommand')).runInstallCommand(argv, process.env);
    if (command === 'activity') return await (await import('./activityCommand')).runActivityCommand(argv, process.env);
    if (command !== 'connect' && command !== 'disconnect') return await (await import('./inventoryCommand')).runInventoryCommand(command, argv, process.env);
    // Stdio-only clients start the bridge beside this script with this Node, by absolute paths.
    const { runConnectCommand } = await import('./connectCommand');
    return await runConnectCommand(command, argv, process.env, { command: process.execPath, args: [path.join(__dirname, 'proxy.js')] });
  } catch (error) {
    const usage = error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`${errorMessage(error)}${usage ? `\n(onemcp ${command} --help shows the options)` : ''}\n`);
    return usage || (error instanceof ClientConfigError && error.code === 'UNKNOWN_CLIENT') ? 2 : 1;
  }
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if ((SUBCOMMANDS as readonly (string | undefined)[]).includes(command)) return runSubcommand(command as Subcommand, rest);
  let options: ReturnType<typeof parseCli>;
  try {
    options = parseCli(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${errorMessage(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options === 'version') {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }

  const logger = createStreamLogger(options.logLevel);
  setUnexpectedErrorHandler((error) => logger.error(`Unexpected error: ${errorMessage(error)}`));
  if (options.usingExample) logger.info(`No config at ${defaultConfigPath()}; serving the bundled example ${options.configPath}`);
  const agent = new Agent({
    configPath: options.configPath,
    host: options.host,
    port: options.port,
    externalUrl: options.externalUrl,
    tags: options.tags,
    logger,
    secrets: new FileSecretStore(secretsFilePath(process.env)),
    stateDir: defaultStateDir(process.env),
    activity: { file: activityFilePath(process.env) },
    resolveInput: cliInputResolver(process.env),
    auth: { enabled: options.enableAuth, scopeValidation: options.enableScopeValidation },
  });
  // Before the start: the agent answers clients once it listens, a while before start() resolves, and a
  // signal in between must still close it (close() waits for the start).
  const shutdown = waitForShutdown(agent, logger);
  try {
    await agent.start();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `Cannot start: ${await startFailure(error)}`}\n`);
    return 1;
  }
  reportWhenSettled(agent, logger);
  return shutdown;
}

/** Why the agent did not start; for a busy port, who holds it (another 1MCP agent serves every client already). */
async function startFailure(error: unknown): Promise<string> {
  if (!(error instanceof PortInUseError)) return errorMessage(error);
  const base = `http://${urlHost(error.host)}:${error.port}`;
  const probe = await probeAgent(base);
  if (probe.kind !== 'agent') return errorMessage(error);
  const by = probe.health.servedBy;
  const who = by?.kind === 'editor' ? `a VS Code window (pid ${by.pid})` : by ? `another 1MCP CLI (pid ${by.pid})` : 'another 1MCP agent';
  return `port ${error.port} on ${error.host} is already served by ${who}: its endpoint ${base}/mcp serves every client, so there is nothing to start. Stop it there, or choose another --port.`;
}

/** Prints one summary line per backend once none is still connecting. */
function reportWhenSettled(agent: Agent, logger: Logger): void {
  const report = (state: AgentState): boolean => {
    if (state.backends.some((b) => b.status === 'connecting')) return false;
    for (const b of state.backends) {
      const detail = b.status === 'connected' ? `${b.tools.length} tools` : (statusDetail(b) ?? '');
      logger.info(`  ${b.name}: ${b.status}${detail ? ` (${detail})` : ''}`);
    }
    logger.info(`Endpoint: ${state.endpoint ?? ''}`);
    const dashboard = agent.dashboardUrl;
    logger.info(dashboard ? `Dashboard: ${dashboard}` : `Dashboard: none; it answers only on a loopback address and the agent listens on ${state.listening?.description ?? state.host} (--host 0.0.0.0 serves 127.0.0.1 too)`);
    return true;
  };
  if (report(agent.state)) return;
  const subscription = agent.events.onDidChangeState((state) => {
    if (report(state)) subscription.dispose();
  });
}

function waitForShutdown(agent: Agent, logger: Logger): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn(`${signal} again: exiting now`);
        process.exit(130);
      }
      stopping = true;
      logger.info(`${signal}: shutting down`);
      void agent.close().then(() => resolve(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

if (require.main === module) {
  void main().then((code) => process.exit(code));
}
