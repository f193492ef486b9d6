import { parseArgs } from 'node:util';
import { DEFAULT_REGISTRY_URL, RegistryClient, RegistryError } from './core/registry/registryClient';
import { describeNeed, installPlan, InstallError, localNameFor, runKinds, runOptions, RUN_KIND_LABELS } from './core/registry/installPlan';
import type { ServerJson } from './core/registry/serverJson';
import { CONFIG_USAGE } from './configFlag';
import { AGENT_USAGE } from './servingAgent';
import { UsageError } from './usageError';

/** `--registry-url`, shared by `registry` and `install`. */
export const REGISTRY_FLAGS = { 'registry-url': { type: 'string' } } as const;

export const REGISTRY_USAGE = `Usage: onemcp registry search <words> [--json]
       onemcp registry show <name>
       onemcp install <name> [--as <local-name>] [--tags a,b]

Finds MCP servers in an MCP Registry (the generic registry API v0.1) and adds them to mcp.json.
install writes the server as the registry describes it: a remote as a URL entry (with its headers),
an npm package as npx -y <package>@<version>, a PyPI package as uvx <package>==<version>, a Docker
image as docker run -i --rm <image>; arguments and variables take their defaults. A value you must
give becomes \${input:<id>}: on a terminal install asks for it (secrets are kept in the 0600 file
input-secrets.json beside the agent's other secrets, never in mcp.json); otherwise it names the
variable to set (ONE_MCP_INPUT_<ID>). VS Code asks for missing values when it starts the server.

Options:
      --registry-url <url>   the registry [ONE_MCP_REGISTRY_URL] (default ${DEFAULT_REGISTRY_URL})
      --json                 search: the servers found as JSON
      --as <local-name>      install: the name in mcp.json (default: the last part of <name>)
      --tags <a,b>           install: tags of the new server
${CONFIG_USAGE}
${AGENT_USAGE}
  -h, --help                 show this help`;

/** The registry the flags name: `--registry-url`, else `ONE_MCP_REGISTRY_URL`, else the official one. */
export function registryFromFlags(values: { readonly 'registry-url'?: string }, env: NodeJS.ProcessEnv): RegistryClient {
  try {
    return new RegistryClient(values['registry-url'] ?? env.ONE_MCP_REGISTRY_URL ?? DEFAULT_REGISTRY_URL);
  } catch (error) {
    if (error instanceof RegistryError) throw new UsageError(`${error.message} (--registry-url or ONE_MCP_REGISTRY_URL)`);
    throw error;
  }
}

/** `onemcp registry search | show`. */
export async function runRegistryCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { ...REGISTRY_FLAGS, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  const [action, ...rest] = positionals;
  if (values.help || action === undefined) {
    (values.help ? process.stdout : process.stderr).write(`${REGISTRY_USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const registry = registryFromFlags(values, env);
  if (action === 'search') {
    if (rest.length === 0) throw new UsageError('onemcp registry search needs words to look for');
    const found = await registry.search(rest.join(' '));
    if (values.json) {
      const summaries = found.map((s) => ({ name: s.name, title: s.title, description: s.description, version: s.version, runs: runKinds(s) }));
      process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
    } else if (found.length === 0) {
      process.stdout.write(`No server in ${registry.baseUrl} matches "${rest.join(' ')}".\n`);
    } else {
      process.stdout.write(`${found.map(searchLine).join('\n')}\n\n${found.length} found in ${registry.baseUrl}. "onemcp registry show <name>" tells more; "onemcp install <name>" adds one.\n`);
    }
    return 0;
  }
  if (action === 'show') {
    if (rest.length !== 1) throw new UsageError('onemcp registry show takes one server name, as search lists them');
    process.stdout.write(`${describeServer(await registry.server(rest[0] ?? ''))}\n`);
    return 0;
  }
  throw new UsageError(`Unknown registry command "${action}": use search or show`);
}

function searchLine(server: ServerJson): string {
  const about = [server.title, server.description].filter(Boolean).join(': ');
  return `${server.name}  ${server.version ?? ''}  (${runKinds(server).join(', ') || 'no way to run listed'})${about ? `\n    ${about}` : ''}`;
}

/** What `registry show` prints: what the server is, every way it runs, and what install would write. */
function describeServer(server: ServerJson): string {
  const lines = [`${server.title ? `${server.title} (${server.name})` : server.name}  ${server.version ?? ''}`];
  if (server.description) lines.push(server.description);
  if (server.websiteUrl) lines.push(`Website: ${server.websiteUrl}`);
  if (server.repository?.url) lines.push(`Source: ${server.repository.url}`);
  lines.push('', 'Runs as:');
  for (const option of runOptions(server)) lines.push(`  ${option.label}${option.problem ? `: cannot be installed (${option.problem})` : ''}`);
  const name = localNameFor(server);
  try {
    const plan = installPlan(server, name);
    lines.push('', `onemcp install ${server.name} writes "${name}" (${RUN_KIND_LABELS[plan.kind]}):`, indent(JSON.stringify(plan.entry, null, 2)));
    if (plan.needs.length) lines.push('', 'It asks for:', ...plan.needs.map((n) => `  ${describeNeed(n)}`));
  } catch (error) {
    if (!(error instanceof InstallError)) throw error;
    lines.push('', error.message);
  }
  return lines.join('\n');
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}
