import { parseArgs } from 'node:util';
import { addServer, editInventory, InventoryError, previewInventory } from './core/config/inventoryEdits';
import { describeNeed, fillInputs, inputDefinition, installPlan, InstallError, localNameFor, RUN_KIND_LABELS, type InputNeed } from './core/registry/installPlan';
import { RegistryError } from './core/registry/registryClient';
import { errorMessage } from './core/logger';
import { inputEnvName, inputsFilePath, storeInput } from './cliInputs';
import { CONFIG_FLAG, configFromFlags } from './configFlag';
import { REGISTRY_FLAGS, REGISTRY_USAGE, registryFromFlags } from './registryCommand';
import { AGENT_FLAGS, agentBase, appliedBy, servingAgent } from './servingAgent';
import { ask, canPrompt } from './terminalPrompt';
import { UsageError } from './usageError';

/** `onemcp install <name> [--as <local-name>] [--tags a,b]`: a registry server into mcp.json. */
export async function runInstallCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { ...REGISTRY_FLAGS, ...CONFIG_FLAG, ...AGENT_FLAGS, as: { type: 'string' }, tags: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${REGISTRY_USAGE}\n`);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined || extra.length) throw new UsageError('onemcp install takes one server name, as "onemcp registry search" lists them');
  const tags = values.tags?.split(',').map((t) => t.trim()).filter(Boolean);
  if (tags?.length === 0) throw new UsageError('--tags needs at least one tag');
  const file = configFromFlags(values, env);
  const base = agentBase(values, env);
  const registry = registryFromFlags(values, env);
  try {
    const server = await registry.server(name);
    const local = values.as ?? localNameFor(server);
    const plan = installPlan(server, local);
    // Before asking anything: a taken name or a bad tag would waste the answers.
    await previewInventory(file, (text) => addServer(text, local, { ...plan.entry, ...(tags && { tags }) }));
    const answers = canPrompt() ? await askFor(plan.needs, server.name) : new Map<string, string>();
    const filled = new Map([...answers].filter(([id]) => !plan.needs.find((n) => n.id === id)?.secret));
    // Secrets first: the agent starts the server as soon as the file changes.
    for (const need of plan.needs) {
      const answer = answers.get(need.id);
      if (need.secret && answer !== undefined) await storeInput(env, need.id, answer);
    }
    const open = plan.needs.filter((n) => !filled.has(n.id));
    const entry = { ...fillInputs(plan.entry, filled), ...(tags && { tags }) };
    const result = await editInventory(file, (text) => addServer(text, local, entry, open.map((n) => inputDefinition(n, server))));
    const lines = [`Installed ${server.name}${server.version ? ` ${server.version}` : ''} as "${local}" in ${file} (the old file: ${result.backup ?? 'none, it was new'}).`, `It runs (${RUN_KIND_LABELS[plan.kind]}): ${plan.summary}`];
    for (const need of open) {
      const given = answers.has(need.id);
      lines.push(
        given
          ? `\${input:${need.id}} (${need.label}) is stored in ${inputsFilePath(env)}, where the headless agent reads it (VS Code asks for it once).`
          : `\${input:${need.id}} (${need.label}) has no value yet: set ${inputEnvName(need.id)} for the headless agent (VS Code asks for it once).`,
      );
    }
    lines.push(appliedBy(await servingAgent(base, file)));
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    if (error instanceof RegistryError || error instanceof InstallError || error instanceof InventoryError) throw new Error(`${errorMessage(error)}\nNothing was written to ${file}.`, { cause: error });
    throw error;
  }
}

/** Asks for each value on the terminal; an empty answer leaves the `${input:}` for later. */
async function askFor(needs: readonly InputNeed[], server: string): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  if (needs.length) process.stderr.write(`${server} needs ${needs.length === 1 ? 'a value' : `${needs.length} values`} (Enter leaves one to set later):\n`);
  for (const need of needs) {
    for (;;) {
      const answer = await ask(`  ${describeNeed(need)}: `, { hidden: need.secret });
      if (!answer) break;
      if (need.choices?.length && !need.choices.includes(answer)) {
        process.stderr.write(`  That is not one of ${need.choices.join(', ')}.\n`);
        continue;
      }
      answers.set(need.id, answer);
      break;
    }
  }
  return answers;
}
