import * as vscode from 'vscode';
import { serverNames, uniqueName } from '../core/config/configEdits';
import { addServer } from '../core/config/inventoryEdits';
import { errorMessage } from '../core/logger';
import { describeNeed, fillInputs, inputDefinition, installPlan, localNameFor, runKinds, runOptions, RUN_KIND_LABELS, type InputNeed, type RunOption } from '../core/registry/installPlan';
import { registryBaseUrl, RegistryClient } from '../core/registry/registryClient';
import type { ServerJson } from '../core/registry/serverJson';
import type { ConfigFile } from './configFile';
import { askNameAndTags } from './addServer';
import type { StoredInputs } from './storedInputs';

const TITLE = '1MCP: Add Server from Registry';
/** Typing pauses this long before the registry is asked. */
const DEBOUNCE_MS = 300;
/** Results shown for one search: one page of the registry. */
const RESULTS = 50;

let registry: RegistryClient | undefined;

/** One client per registry URL, kept between runs so that its brief cache serves the next search too. */
function registryAt(url: string): RegistryClient {
  if (registry?.baseUrl !== registryBaseUrl(url)) registry = new RegistryClient(url);
  return registry;
}

/**
 * Searches the MCP Registry as the user types, then asks for the local name, tags and the values the
 * server needs, and adds it to mcp.json; secrets go to SecretStorage (as if asked at its first start),
 * the file gets `${input:}` placeholders. Resolves to the name, or undefined when cancelled.
 */
export async function addServerFromRegistry(config: ConfigFile, inputs: StoredInputs, registryUrl: string): Promise<string | undefined> {
  const client = registryAt(registryUrl);
  const server = await pickServer(client);
  if (!server) return undefined;
  const option = await pickRunOption(server);
  if (!option) return undefined;
  const taken = new Set(serverNames(await config.read()));
  const named = await askNameAndTags(TITLE, uniqueName(localNameFor(server), taken), taken);
  if (!named) return undefined;
  const { name, tags } = named;
  const plan = installPlan(server, name, option);
  const values = await askForValues(plan.needs, server.name);
  if (!values) return undefined;
  // Secrets first: the agent starts the server as soon as the file changes.
  for (const need of plan.needs) if (need.secret) await inputs.remember(need.id, values.get(need.id) ?? '');
  const secrets = plan.needs.filter((n) => n.secret);
  const plain = new Map([...values].filter(([id]) => !secrets.some((n) => n.id === id)));
  const entry = { ...fillInputs(plan.entry, plain), ...(tags.length && { tags }) };
  await config.edit((text) => addServer(text, name, entry, secrets.map((n) => inputDefinition(n, server))));
  void vscode.window.showInformationMessage(`1MCP: added "${name}" (${RUN_KIND_LABELS[plan.kind]}) from ${server.name} to ${config.path}`);
  return name;
}

type ServerItem = vscode.QuickPickItem & { readonly server?: ServerJson };

/** A quick pick that asks the registry as the user types (debounced); the latest answer wins. */
function pickServer(client: RegistryClient): Promise<ServerJson | undefined> {
  const pick = vscode.window.createQuickPick<ServerItem>();
  pick.title = `${TITLE} (1/4)`;
  pick.placeholder = `Search ${client.baseUrl} by name, e.g. weather`;
  pick.ignoreFocusOut = true;
  let asked = 0;
  let timer: NodeJS.Timeout | undefined;
  const search = (text: string): void => {
    clearTimeout(timer);
    pick.busy = true;
    timer = setTimeout(() => {
      const mine = ++asked;
      client.search(text, RESULTS).then(
        (found) => {
          if (mine !== asked) return;
          pick.items = found.length ? found.map(serverItem) : [{ label: `No server matches "${text}"`, alwaysShow: true }];
          pick.busy = false;
        },
        (error: unknown) => {
          if (mine !== asked) return;
          pick.items = [{ label: '$(error) The registry did not answer', detail: errorMessage(error), alwaysShow: true }];
          pick.busy = false;
        },
      );
    }, DEBOUNCE_MS);
  };
  return new Promise((resolve) => {
    pick.onDidChangeValue(search);
    pick.onDidAccept(() => {
      const server = pick.selectedItems[0]?.server;
      if (!server) return;
      resolve(server);
      pick.dispose();
    });
    pick.onDidHide(() => {
      clearTimeout(timer);
      resolve(undefined);
      pick.dispose();
    });
    search('');
    pick.show();
  });
}

function serverItem(server: ServerJson): ServerItem {
  const runs = runKinds(server);
  return {
    label: `${runs.includes('remote') ? '$(globe)' : '$(package)'} ${server.title ?? server.name}`,
    description: [server.title ? server.name : undefined, server.version && `v${server.version}`, runs.join(', ') || 'no way to run listed'].filter(Boolean).join(' · '),
    detail: server.description,
    // The registry searched already: the quick pick's own filter must not hide its answers.
    alwaysShow: true,
    server,
  };
}

/** The way it runs: the only one the agent can use, or the user's choice among several. */
async function pickRunOption(server: ServerJson): Promise<RunOption | undefined> {
  const options = runOptions(server);
  const usable = options.filter((o) => !o.problem);
  // None: installPlan throws, saying why for each way the registry lists.
  if (usable.length === 0) installPlan(server, localNameFor(server));
  if (usable.length <= 1) return usable[0];
  const picked = await vscode.window.showQuickPick(
    usable.map((option) => ({ label: option.label, option })),
    { title: `${TITLE} (2/4)`, placeHolder: `How should the agent run ${server.title ?? server.name}?`, ignoreFocusOut: true },
  );
  return picked?.option;
}

/** Asks for each value the server needs (secrets in a password box); undefined when the user cancels. */
async function askForValues(needs: readonly InputNeed[], server: string): Promise<Map<string, string> | undefined> {
  const values = new Map<string, string>();
  for (const [index, need] of needs.entries()) {
    const title = `${TITLE}: ${server} (${index + 1}/${needs.length})`;
    const value = need.choices?.length
      ? await vscode.window.showQuickPick([...need.choices], { title, placeHolder: describeNeed(need), ignoreFocusOut: true })
      : await vscode.window.showInputBox({
          title,
          prompt: `${describeNeed(need)}${need.secret ? ' — kept in the OS keychain, never in mcp.json' : ''}`,
          placeHolder: need.placeholder,
          password: need.secret,
          ignoreFocusOut: true,
          validateInput: (text) => (text ? undefined : 'Required'),
        });
    if (value === undefined) return undefined;
    values.set(need.id, value);
  }
  return values;
}
