import { promises as fs } from 'node:fs';
import { probeAgent, type AgentHealth } from './core/control/agentProbe';
import { DEFAULT_HOST, DEFAULT_PORT } from './core/endpointDefaults';
import { ENDPOINT_FLAGS, endpointFromFlags } from './endpointFlags';

/** `--host` and `--port`: where the commands that change the config look for the agent serving it. */
export const AGENT_FLAGS = { host: ENDPOINT_FLAGS.host, port: ENDPOINT_FLAGS.port } as const;

export const AGENT_USAGE = `  -H, --host <address>       where the agent serving it listens [ONE_MCP_HOST] (default ${DEFAULT_HOST})
  -P, --port <port>          its port [ONE_MCP_PORT] (default ${DEFAULT_PORT})`;

/** What answers at the agent's address: the agent serving this config (its health), or why none does (`why`). */
export type ServingAgent = { readonly serving: true; readonly base: string; readonly health: AgentHealth } | { readonly serving: false; readonly base: string; readonly why: string };

/** Where `--host` and `--port` (or `ONE_MCP_HOST`, `ONE_MCP_PORT`) say the agent listens: `http://127.0.0.1:3050`. */
export function agentBase(values: { readonly host?: string; readonly port?: string }, env: NodeJS.ProcessEnv): string {
  return new URL(endpointFromFlags({ host: values.host, port: values.port }, env)).origin;
}

/** Asks the agent at `base` (its loopback `/health` details) whether it serves `configPath`. */
export async function servingAgent(base: string, configPath: string): Promise<ServingAgent> {
  const probe = await probeAgent(base);
  if (probe.kind === 'gone') return { serving: false, base, why: `no agent at ${base}` };
  if (probe.kind === 'foreign') return { serving: false, base, why: `${base} is ${probe.holder}` };
  const served = probe.health.configPath;
  if (served !== undefined && (await samePath(served, configPath))) return { serving: true, base, health: probe.health };
  return { serving: false, base, why: `the agent at ${base} serves ${served ?? 'another config'}` };
}

/** The line commands that changed the config print about the agent. */
export function appliedBy(agent: ServingAgent): string {
  if (!agent.serving) return `No agent serves this config right now (${agent.why}); the change applies when one starts.`;
  const by = agent.health.servedBy;
  const who = by?.kind === 'editor' ? `a VS Code window, pid ${by.pid}` : by ? `the 1MCP CLI, pid ${by.pid}` : 'a 1MCP agent';
  return `The agent at ${agent.base} (${who}) applies it now; "onemcp list" shows how each server is doing.`;
}

async function samePath(a: string, b: string): Promise<boolean> {
  const real = (file: string): Promise<string> => fs.realpath(file).catch(() => file);
  return (await real(a)) === (await real(b));
}
