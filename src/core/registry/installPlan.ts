import type { RawServerEntry } from '../config/configEdits';
import type { InputDefinition } from '../config/types';
import type { KeyValueInput, RegistryArgument, RegistryInput, RegistryPackage, RegistryRemote, ServerJson } from './serverJson';

/** How a server from the registry runs. */
export type RunKind = 'remote' | 'npm' | 'pypi' | 'oci';

/** Each kind as people read it. */
export const RUN_KIND_LABELS: Readonly<Record<RunKind, string>> = { remote: 'remote', npm: 'npm', pypi: 'PyPI', oci: 'Docker' };

/** One way a server can run, as the registry describes it; `problem` says why the agent cannot run it that way. */
export interface RunOption {
  readonly kind: RunKind | string;
  readonly label: string;
  readonly problem?: string;
  readonly source: { readonly remote: RegistryRemote } | { readonly package: RegistryPackage };
}

/** A value the user gives when installing, written as `${input:id}` until then. */
export interface InputNeed {
  readonly id: string;
  /** What it is: `environment variable WEATHER_API_KEY`, `header Authorization`, `argument city`. */
  readonly label: string;
  readonly description?: string;
  /** Kept in the secret store, never in the file. */
  readonly secret: boolean;
  readonly choices?: readonly string[];
  readonly placeholder?: string;
}

/** The mcp.json entry for a registry server, with a `${input:id}` for every value the user must give. */
export interface InstallPlan {
  readonly kind: RunKind;
  /** How it runs, in one line: the command line, or the URL. */
  readonly summary: string;
  readonly entry: RawServerEntry;
  readonly needs: readonly InputNeed[];
}

/** The registry entry cannot be installed (no way the agent runs, or values that would read the user's environment). */
export class InstallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InstallError';
  }
}

const RUNNERS: Readonly<Record<string, readonly string[]>> = { npm: ['npx', 'bunx', 'pnpx'], pypi: ['uvx'], oci: ['docker', 'podman'] };

/** Every way the registry says the server runs: its remotes first (nothing to install), then its packages in the publisher's order. */
export function runOptions(server: ServerJson): RunOption[] {
  const remotes = (server.remotes ?? []).map((remote): RunOption => {
    const supported = remote.type === 'streamable-http' || remote.type === 'sse';
    return { kind: 'remote', label: `remote (${remote.type}) ${remote.url}`, problem: supported ? undefined : `a remote of type "${remote.type}"`, source: { remote } };
  });
  const packages = (server.packages ?? []).map((pkg): RunOption => {
    const kind = pkg.registryType;
    const label = `${Object.hasOwn(RUN_KIND_LABELS, kind) ? RUN_KIND_LABELS[kind as RunKind] : kind} ${pkg.identifier}${pkg.version && kind !== 'oci' ? ` ${pkg.version}` : ''}`;
    const transport = pkg.transport?.type ?? 'stdio';
    const problem = !Object.hasOwn(RUNNERS, kind)
      ? `${kind} packages are not run by 1MCP (npm, PyPI and Docker are)`
      : transport !== 'stdio'
        ? `the package serves ${transport} on a port of its own: start it yourself and add its URL`
        : undefined;
    return { kind, label, problem, source: { package: pkg } };
  });
  return [...remotes, ...packages];
}

/** What `install` writes for `server` under `localName`: the first way it runs that the agent supports, or `option`. */
export function installPlan(server: ServerJson, localName: string, option?: RunOption): InstallPlan {
  const options = runOptions(server);
  const chosen = option ?? options.find((o) => !o.problem);
  if (!chosen || chosen.problem) {
    const why = options.length ? options.map((o) => `${o.label}: ${o.problem ?? 'not chosen'}`).join('; ') : 'the registry lists no remote and no package for it';
    throw new InstallError(`${server.name} cannot be installed: ${why}`);
  }
  const builder = new EntryBuilder(localName);
  const plan = 'remote' in chosen.source ? builder.remote(chosen.source.remote) : builder.package(chosen.source.package);
  for (const [field, text] of Object.entries(flatten(plan.entry))) {
    // The registry's text must stay text: a `${env:…}` in it would make the agent read the user's
    // environment (and could send it to a URL).
    const stripped = text.replace(/\$\{input:[A-Za-z0-9_.-]+\}/g, '');
    if (stripped.includes('${')) throw new InstallError(`${server.name} cannot be installed: its ${field} holds a \${…} reference ("${text}"), which would read values from your environment`);
  }
  return { ...plan, needs: builder.needs };
}

/** How a server runs, in the words of {@link RUN_KIND_LABELS}: `remote, npm`. */
export function runKinds(server: ServerJson): string[] {
  return [...new Set(runOptions(server).map((o) => RUN_KIND_LABELS[o.kind as RunKind] ?? o.kind))];
}

/** A name for the server in mcp.json: the last part of its registry name (`io.github.user/weather` -> `weather`). */
export function localNameFor(server: ServerJson): string {
  return (server.name.split('/').pop() ?? server.name).replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 64) || 'server';
}

/** A value asked for, as people read it: `environment variable API_KEY (secret): the key of your account`. */
export function describeNeed(need: InputNeed): string {
  const traits = [need.secret && 'secret', need.choices?.length && `one of ${need.choices.join(', ')}`].filter(Boolean).join(', ');
  return `${need.label}${traits ? ` (${traits})` : ''}${need.description ? `: ${need.description}` : ''}`;
}

/** The config's `inputs` entry for a value left as `${input:id}`: what VS Code shows when it asks for it. */
export function inputDefinition(need: InputNeed, server: ServerJson): InputDefinition {
  return { id: need.id, type: 'promptString', description: `${need.label} of ${server.name}${need.description ? `: ${need.description}` : ''}`, password: need.secret };
}

/** `entry` with the `${input:id}` of each given value replaced by it (values the user typed that are not secret). */
export function fillInputs(entry: RawServerEntry, values: ReadonlyMap<string, string>): RawServerEntry {
  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replace(/\$\{input:([A-Za-z0-9_.-]+)\}/g, (whole, id: string) => values.get(id) ?? whole);
    if (Array.isArray(value)) return value.map(fill);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return fill(entry) as RawServerEntry;
}

/** Every string of an entry by where it is (`args[2]`, `env.API_KEY`). */
function flatten(value: unknown, at = ''): Record<string, string> {
  if (typeof value === 'string') return { [at]: value };
  if (Array.isArray(value)) return Object.assign({}, ...value.map((v, i) => flatten(v, `${at}[${i}]`))) as Record<string, string>;
  if (typeof value === 'object' && value !== null) return Object.assign({}, ...Object.entries(value).map(([k, v]) => flatten(v, at ? `${at}.${k}` : k))) as Record<string, string>;
  return {};
}

/** Builds one entry, collecting the inputs it needs under ids unique to it (`<local name>-<what>`). */
class EntryBuilder {
  readonly needs: InputNeed[] = [];

  constructor(private readonly localName: string) {}

  remote(remote: RegistryRemote): Omit<InstallPlan, 'needs'> {
    const url = this.text(remote.url, remote.variables, 'url', false);
    const probe = url.replace(/\$\{input:[^}]+\}/g, 'x');
    if (!URL.canParse(probe) || !/^https?:$/.test(new URL(probe).protocol)) throw new InstallError(`The remote URL "${remote.url}" is not an http(s) URL`);
    const headers = this.keyValues(remote.headers, 'header');
    const entry: RawServerEntry = { type: remote.type === 'sse' ? 'sse' : 'http', url, ...(Object.keys(headers).length && { headers }) };
    return { kind: 'remote', summary: url, entry };
  }

  package(pkg: RegistryPackage): Omit<InstallPlan, 'needs'> {
    const kind = pkg.registryType as Exclude<RunKind, 'remote'>;
    const runners = Object.hasOwn(RUNNERS, kind) ? (RUNNERS[kind] ?? []) : [];
    const runner = pkg.runtimeHint && runners.includes(pkg.runtimeHint) ? pkg.runtimeHint : (runners[0] ?? kind);
    const runtimeArgs = this.args(pkg.runtimeArguments);
    const packageArgs = this.args(pkg.packageArguments);
    const env = this.keyValues(pkg.environmentVariables, 'environment variable');
    let args: string[];
    if (kind === 'npm') {
      const yes = runner === 'npx' && !runtimeArgs.some((a) => a === '-y' || a === '--yes') ? ['-y'] : [];
      args = [...yes, ...runtimeArgs, pkg.version ? `${pkg.identifier}@${pkg.version}` : pkg.identifier, ...packageArgs];
    } else if (kind === 'pypi') {
      args = [...runtimeArgs, pkg.version ? `${pkg.identifier}==${pkg.version}` : pkg.identifier, ...packageArgs];
    } else {
      // The container sees only the variables passed to it: `-e NAME` takes each from the agent's environment for it.
      const tagged = /[:@][^/]*$/.test(pkg.identifier) || !pkg.version ? pkg.identifier : `${pkg.identifier}:${pkg.version}`;
      args = ['run', '-i', '--rm', ...runtimeArgs, ...Object.keys(env).flatMap((name) => ['-e', name]), tagged, ...packageArgs];
    }
    const entry: RawServerEntry = { command: runner, args, ...(Object.keys(env).length && { env }) };
    return { kind, summary: [runner, ...args].join(' '), entry };
  }

  private args(list: readonly RegistryArgument[] | undefined): string[] {
    const out: string[] = [];
    for (const arg of list ?? []) {
      const what = arg.valueHint ?? arg.name?.replace(/^-+/, '') ?? 'argument';
      const value = this.value(arg, `argument ${what}`, what);
      if (arg.type === 'named' && arg.name) {
        if (value !== undefined) out.push(arg.name, value);
        else if (arg.isRequired) out.push(arg.name);
      } else if (arg.type === 'positional' && value !== undefined) {
        out.push(value);
      }
    }
    return out;
  }

  private keyValues(list: readonly KeyValueInput[] | undefined, what: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const item of list ?? []) {
      const value = this.value(item, `${what} ${item.name}`, item.name);
      if (value !== undefined) out[item.name] = value;
    }
    return out;
  }

  /** A fixed value (its `{variables}` filled), else the default, else an input when required; undefined leaves it out. */
  private value(input: RegistryInput & { variables?: Record<string, RegistryInput> }, label: string, key: string): string | undefined {
    if (input.value !== undefined) return this.text(input.value, input.variables, key, input.isSecret === true);
    if (input.default !== undefined) return input.default;
    if (!input.isRequired) return undefined;
    return this.need(input, label, key);
  }

  /**
   * `{name}` in a template replaced by its variable's value (a secret when the whole value is one); an
   * unknown one is left as it is (server.json says so).
   */
  private text(template: string, variables: Record<string, RegistryInput> | undefined, key: string, secret: boolean): string {
    return template.replace(/\{([A-Za-z0-9_.-]+)\}/g, (whole, name: string) => {
      const variable = variables?.[name];
      if (!variable) return whole;
      return this.value({ ...variable, isRequired: true, isSecret: secret || variable.isSecret }, `${name} in ${key}`, name) ?? whole;
    });
  }

  private need(input: RegistryInput, label: string, key: string): string {
    const cleaned = `${this.localName}-${key}`.replace(/[^A-Za-z0-9_.-]+/g, '_');
    const base = /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
    let id = base;
    for (let i = 2; this.needs.some((n) => n.id === id); i++) id = `${base}-${i}`;
    this.needs.push({ id, label, description: input.description, secret: input.isSecret === true, choices: input.choices, placeholder: input.placeholder });
    return `\${input:${id}}`;
  }
}
