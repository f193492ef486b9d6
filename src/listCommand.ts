import { parseArgs } from 'node:util';
import { readConfigText } from './core/config/editConfigFile';
import { parseConfig } from './core/config/parseConfig';
import type { ServerConfig } from './core/config/types';
import type { HealthBackend } from './core/state/healthReport';
import { statusDetail } from './core/backends/backendStatus';
import { CONFIG_FLAG, configFromFlags } from './configFlag';
import { INVENTORY_USAGE } from './inventoryCommand';
import { AGENT_FLAGS, agentBase, servingAgent, type ServingAgent } from './servingAgent';

/** One server as `onemcp list` reports it (never its env or header values: they may hold secrets). */
export interface ListedServer {
  readonly name: string;
  readonly type: ServerConfig['type'];
  readonly command?: string;
  readonly args?: readonly string[];
  readonly url?: string;
  readonly tags: readonly string[];
  readonly disabled: boolean;
  readonly disabledTools: readonly string[];
  /** A backend status from the agent serving the config; else `not running`, or `not loaded` when that agent does not have it (yet). */
  readonly status: string;
  readonly tools?: number;
  /** Why it is not connected, in the words every view uses. */
  readonly detail?: string;
}

/** `onemcp list [--json]`: the config's servers, each with its live status when an agent serves the config. */
export async function runListCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({ args: [...argv], options: { ...CONFIG_FLAG, ...AGENT_FLAGS, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(`${INVENTORY_USAGE}\n`);
    return 0;
  }
  const file = configFromFlags(values, env);
  const base = agentBase(values, env);
  const text = await readConfigText(file);
  const config = parseConfig(text, file);
  const agent = await servingAgent(base, file);
  const servers = config.servers.map((server) => listed(server, agent));
  if (values.json) {
    const about = agent.serving ? { url: agent.base, servedBy: agent.health.servedBy } : null;
    process.stdout.write(`${JSON.stringify({ config: file, agent: about, servers }, null, 2)}\n`);
    return 0;
  }
  const lines = [`${file}${text === '' ? ' (does not exist yet)' : ''}`, agent.serving ? `Agent: ${agent.base}` : `Agent: not running (${agent.why})`, ''];
  if (servers.length === 0) lines.push('No servers. Add one with "onemcp add" or "onemcp install".');
  for (const s of servers) {
    const tools = s.tools === undefined ? '' : `, ${s.tools} tool${s.tools === 1 ? '' : 's'}`;
    lines.push(`${s.name}  ${s.status}${tools}${s.tags.length ? `  [${s.tags.join(', ')}]` : ''}`);
    lines.push(`    ${s.url ?? [s.command, ...(s.args ?? [])].join(' ')}`);
    if (s.detail) lines.push(`    ${s.detail}`);
    if (s.disabledTools.length) lines.push(`    disabled tools: ${s.disabledTools.join(', ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function listed(server: ServerConfig, agent: ServingAgent): ListedServer {
  const base = {
    name: server.name,
    type: server.type,
    ...(server.type === 'stdio' ? { command: server.command, args: server.args } : { url: server.url }),
    tags: server.tags,
    disabled: server.disabled,
    disabledTools: server.disabledTools,
  };
  if (!agent.serving) return { ...base, status: server.disabled ? 'disabled' : 'not running' };
  // The agent's /health, read as it is written (healthRoute.ts); details come only to this machine.
  const live = (agent.health.backends as readonly Partial<HealthBackend>[]).find((b) => b.name === server.name);
  if (!live?.status) return { ...base, status: 'not loaded', detail: 'the agent has not loaded this server (yet): a config it could not read keeps the last one running' };
  const at = (iso: string | undefined): number => (iso ? Date.parse(iso) : 0);
  const detail = statusDetail({
    status: live.status,
    reason: live.reason,
    lastError: live.lastError && { ...live.lastError, at: at(live.lastError.at) },
    nextRestart: live.nextRestart && { ...live.nextRestart, at: at(live.nextRestart.at) },
  });
  return { ...base, status: live.status, ...(live.status === 'connected' && { tools: live.tools }), ...(detail && { detail }) };
}
