import { parseArgs } from 'node:util';
import type { RawServerEntry } from './core/config/configEdits';
import { editInventory, addServer, removeServer, setServerDisabled, setToolDisabled } from './core/config/inventoryEdits';
import { CONFIG_FLAG, CONFIG_USAGE, configFromFlags } from './configFlag';
import { AGENT_FLAGS, AGENT_USAGE, agentBase, appliedBy, servingAgent } from './servingAgent';
import { runToolReviewCommand } from './toolReviewCommand';
import { UsageError } from './usageError';

export const INVENTORY_USAGE = `Usage: onemcp add <name> [--tags a,b] [--env K=V]... -- <command> [args...]
       onemcp add <name> --url <url> [--header K=V]... [--tags a,b]
       onemcp remove <name>
       onemcp enable <name>
       onemcp disable <name>
       onemcp tools enable|disable <server> <tool>
       onemcp tools review [--json]
       onemcp tools accept <server> [<tool>...]
       onemcp list [--json]

Changes the servers of mcp.json in place: comments and layout stay, the old file is kept beside it
(mcp.json.bak-<time>, the last 10) and the new one replaces it atomically. An agent serving the file
applies the change at once. list shows each server, with its live status when an agent serves the file.
tools review shows the tools the running agent holds back (new, or changed since they were accepted),
with their accepted and offered definitions; tools accept lets clients see them again.

Options:
${CONFIG_USAGE}
${AGENT_USAGE}
      --tags <a,b>           tags of the new server: clients select backends by tag
      --env <K=V>            an environment variable of the new command (repeatable)
      --url <url>            the new server's URL (streamable HTTP, falling back to SSE)
      --header <K=V>         an HTTP header of the new URL server (repeatable)
      --json                 list: the servers as JSON; tools review: the held tools as JSON
  -h, --help                 show this help

Values may be \${env:NAME} (an environment variable of the agent) or \${input:id} (asked once; the
headless agent reads ONE_MCP_INPUT_<ID>), so that no secret needs to be in the file.`;

export type InventoryCommand = 'add' | 'remove' | 'enable' | 'disable' | 'tools';

/** `onemcp add | remove | enable | disable | tools`: one change to the config's servers. */
export async function runInventoryCommand(command: InventoryCommand, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  // After `--` comes the new server's command line, untouched by our flag parsing.
  const split = command === 'add' ? argv.indexOf('--') : -1;
  const { values, positionals } = parseArgs({
    args: split < 0 ? [...argv] : argv.slice(0, split),
    allowPositionals: true,
    options: {
      ...CONFIG_FLAG,
      ...AGENT_FLAGS,
      ...(command === 'tools' && { json: { type: 'boolean' as const } }),
      ...(command === 'add' && {
        tags: { type: 'string' },
        env: { type: 'string', multiple: true },
        url: { type: 'string' },
        header: { type: 'string', multiple: true },
      }),
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${INVENTORY_USAGE}\n`);
    return 0;
  }
  const [action, ...names] = positionals;
  if (command === 'tools' && (action === 'review' || action === 'accept')) return runToolReviewCommand(action, names, { ...values, json: values.json === true }, env);
  if (values.json) throw new UsageError('--json is for onemcp tools review');
  const file = configFromFlags(values, env);
  const base = agentBase(values, env);
  const [change, done] = planChange(command, positionals, split < 0 ? [] : argv.slice(split + 1), values);
  const result = await editInventory(file, change);
  if (!result.changed) {
    process.stdout.write(`${done.unchanged}; ${file} was not changed.\n`);
    return 0;
  }
  process.stdout.write(`${done.changed} ${file} (the old file: ${result.backup ?? 'none, it was new'}).\n${appliedBy(await servingAgent(base, file))}\n`);
  return 0;
}

interface Outcome {
  /** What was done, ending where the file is named: `Added "x" to`. */
  readonly changed: string;
  readonly unchanged: string;
}

function planChange(command: InventoryCommand, positionals: readonly string[], commandLine: readonly string[], values: Record<string, unknown>): [(text: string) => string, Outcome] {
  if (command === 'tools') {
    const [action, server, tool, ...extra] = positionals;
    if (action !== 'enable' && action !== 'disable') throw new UsageError(`onemcp tools takes enable, disable, review or accept, got ${action === undefined ? 'nothing' : `"${action}"`}`);
    if (server === undefined || tool === undefined || extra.length) throw new UsageError(`onemcp tools ${action} takes a server and one of its tools: onemcp tools ${action} <server> <tool>`);
    // The name clients see (<server>_1mcp_<tool>) names the same tool.
    const own = tool.startsWith(`${server}_1mcp_`) ? tool.slice(server.length + 6) : tool;
    const disabled = action === 'disable';
    return [
      (text) => setToolDisabled(text, server, own, disabled),
      { changed: `${disabled ? 'Disabled' : 'Enabled'} tool "${own}" of "${server}" in`, unchanged: `Tool "${own}" of "${server}" is already ${disabled ? 'disabled' : 'enabled'}` },
    ];
  }
  const [name, ...extra] = positionals;
  if (name === undefined) throw new UsageError(`onemcp ${command} needs the name of a server`);
  if (extra.length) {
    const hint = command === 'add' ? ': put the command after --, as in onemcp add <name> -- <command> [args...]' : '';
    throw new UsageError(`onemcp ${command} takes one name, got: ${positionals.join(' ')}${hint}`);
  }
  switch (command) {
    case 'add': {
      const entry = newEntry(commandLine, values);
      return [(text) => addServer(text, name, entry), { changed: `Added "${name}" to`, unchanged: '' }];
    }
    case 'remove':
      return [(text) => removeServer(text, name), { changed: `Removed "${name}" from`, unchanged: '' }];
    case 'enable':
    case 'disable': {
      const disabled = command === 'disable';
      return [(text) => setServerDisabled(text, name, disabled), { changed: `${disabled ? 'Disabled' : 'Enabled'} "${name}" in`, unchanged: `"${name}" is already ${disabled ? 'disabled' : 'enabled'}` }];
    }
  }
}

/** The entry `onemcp add` writes: a command line after `--`, or `--url`. */
function newEntry(commandLine: readonly string[], values: Record<string, unknown>): RawServerEntry {
  const url = values.url as string | undefined;
  const env = pairs(values.env as string[] | undefined, '--env', /^[A-Za-z_][A-Za-z0-9_]*$/);
  const headers = pairs(values.header as string[] | undefined, '--header', /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/);
  const tags = (values.tags as string | undefined)?.split(',').map((t) => t.trim()).filter(Boolean);
  if (tags?.length === 0) throw new UsageError('--tags needs at least one tag');
  let entry: RawServerEntry;
  if (url !== undefined) {
    if (commandLine.length) throw new UsageError('give --url or a command after --, not both');
    if (env) throw new UsageError('--env sets variables of a command; a URL server takes --header');
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`--url is not an http(s) URL: "${url}"`);
    entry = { url, ...(headers && { headers }) };
  } else {
    const [program, ...args] = commandLine;
    if (program === undefined) throw new UsageError('onemcp add needs a command after -- (onemcp add <name> -- <command> [args...]) or --url <url>');
    if (headers) throw new UsageError('--header is for a URL server (--url)');
    entry = { command: program, ...(args.length && { args }), ...(env && { env }) };
  }
  return { ...entry, ...(tags && { tags }) };
}

/** `K=V` flags as a record; undefined when none were given. */
function pairs(list: readonly string[] | undefined, flag: string, key: RegExp): Record<string, string> | undefined {
  if (!list?.length) return undefined;
  const out: Record<string, string> = {};
  for (const item of list) {
    const at = item.indexOf('=');
    const name = item.slice(0, at);
    if (at < 1 || !key.test(name)) throw new UsageError(`${flag} takes NAME=value, got "${item}"`);
    out[name] = item.slice(at + 1);
  }
  return out;
}
