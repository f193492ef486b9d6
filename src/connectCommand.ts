import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { clientStateDir, clientStatus, connectClient, disconnectClient, type ClientContext, type ClientStatus } from './core/clients/clientConnection';
import { ClientConfigError } from './core/clients/clientConfigError';
import { CLIENTS, ENTRY_NAME, findClient, type ProxyCommand } from './core/clients/clientDefinitions';
import { defaultConfigPath } from './core/config/configPath';
import { ENDPOINT_FLAGS, ENDPOINT_USAGE, endpointFromFlags } from './endpointFlags';
import { UsageError } from './usageError';

export const CONNECT_USAGE = `Usage: onemcp connect [<client>] [options]
       onemcp disconnect <client>

connect writes the agent's endpoint into a client's own user-level config, as the entry "${ENTRY_NAME}",
keeping the rest of the file; without <client> it lists the clients and whether they are connected.
disconnect restores the file byte for byte if nothing else changed it since, else removes only "${ENTRY_NAME}".

Clients: ${CLIENTS.map((c) => c.id).join(', ')}

Options:
${ENDPOINT_USAGE}
      --create               write the config even if the client does not seem installed
      --move-servers         move the client's other servers into the agent's config
                             (disconnect puts them back in the client)
  -c, --config <file>        the agent's config, for --move-servers [ONE_MCP_CONFIG]
                             (default ${defaultConfigPath()})
  -h, --help                 show this help`;

/** `onemcp connect` / `onemcp disconnect`; `proxy` is how this very CLI is started, for stdio-only clients. */
export async function runConnectCommand(command: 'connect' | 'disconnect', argv: readonly string[], env: NodeJS.ProcessEnv, proxy: ProxyCommand): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { ...ENDPOINT_FLAGS, create: { type: 'boolean' }, 'move-servers': { type: 'boolean' }, config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${CONNECT_USAGE}\n`);
    return 0;
  }
  const context: ClientContext = { at: { home: os.homedir(), platform: process.platform, env }, stateDir: clientStateDir(env) };
  if (positionals.length > 1) throw new UsageError(`${command} takes one client, got: ${positionals.join(' ')}`);
  const id = positionals[0];
  if (id === undefined) {
    if (command === 'disconnect') throw new UsageError('disconnect needs a client');
    const statuses = await Promise.all(CLIENTS.map((c) => clientStatus(c, context)));
    process.stdout.write(`${statuses.map(describeStatus).join('\n')}\n`);
    return 0;
  }
  const client = findClient(id);
  if (!client) throw new ClientConfigError('UNKNOWN_CLIENT', `Unknown client "${id}". Known clients: ${CLIENTS.map((c) => c.id).join(', ')}`);

  if (command === 'disconnect') {
    const result = await disconnectClient(client, context);
    const how = result.outcome === 'restored' ? 'restored as it was before connect' : `removed "${ENTRY_NAME}"`;
    const back = result.returned.length ? `; put back: ${result.returned.join(', ')} (they stay in the agent's config too)` : '';
    process.stdout.write(`Disconnected ${client.name}: ${result.file} ${how}${back}. Restart ${client.name} to apply.\n`);
    return 0;
  }
  const url = endpointFromFlags(values, env);
  const agentConfig = path.resolve(values.config ?? env.ONE_MCP_CONFIG ?? defaultConfigPath(env));
  const result = await connectClient(client, context, { endpoint: { url, proxy }, create: values.create, moveServersTo: values['move-servers'] ? agentConfig : undefined });
  const lines = [`Connected ${client.name}: ${result.file} ${result.created ? 'created with' : 'now has'} "${ENTRY_NAME}" -> ${url}`];
  if (result.moved.length) lines.push(`Moved into ${agentConfig}: ${result.moved.map((m) => (m.as === m.name ? m.name : `${m.name} (as ${m.as})`)).join(', ')}`);
  if (result.kept.length) lines.push(`Left in ${client.name} (not movable): ${result.kept.join(', ')}`);
  lines.push(`The file as it was is kept in ${result.backup}; "onemcp disconnect ${client.id}" restores it. Restart ${client.name} to apply.`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function describeStatus(status: ClientStatus): string {
  const state = status.problem
    ? `cannot read its config: ${status.problem}`
    : status.connected
      ? `connected -> ${status.url ?? '(an entry we cannot read)'}`
      : status.installed
        ? 'not connected'
        : 'not installed';
  return `${status.client.id.padEnd(15)} ${status.client.name.padEnd(15)} ${state}\n${' '.repeat(16)}${status.file}`;
}
