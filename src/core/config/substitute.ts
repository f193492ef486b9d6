import * as os from 'node:os';
import type { ServerConfig } from './types';

/** Looks up the value of `${input:id}`; the extension asks the user once, the CLI reads its secret store. */
export type InputResolver = (id: string) => Promise<string | undefined>;

/** A server config whose `${…}` references could not all be resolved. */
export class SubstitutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubstitutionError';
  }
}

const REFERENCE = /\$\{(?:(env|input):)?([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

/**
 * Replaces `${env:NAME}` / `${NAME}` with environment variables (and VS Code's `${userHome}`) and `${input:id}` with resolved inputs in
 * every string field of a server that reaches the process or the network. Throws a
 * {@link SubstitutionError} naming the first reference that has no value.
 */
export async function substituteServer(
  server: ServerConfig,
  env: NodeJS.ProcessEnv,
  resolveInput: InputResolver,
): Promise<ServerConfig> {
  const inputs = new Map<string, string>();
  for (const id of collectInputIds(server)) {
    const value = await resolveInput(id);
    if (value === undefined) throw new SubstitutionError(`no value for \${input:${id}}`);
    inputs.set(id, value);
  }
  const sub = (value: string, field: string): string =>
    value.replace(REFERENCE, (_match, kind: string | undefined, name: string) => {
      if (kind === 'input') return inputs.get(name) ?? '';
      const found = kind === undefined && name === 'userHome' ? os.homedir() : Object.hasOwn(env, name) ? env[name] : undefined;
      if (found === undefined) throw new SubstitutionError(`field "${field}": environment variable ${name} is not set`);
      return found;
    });
  const subRecord = (record: Readonly<Record<string, string>>, field: string): Record<string, string> =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, sub(v, `${field}.${k}`)]));

  return {
    ...server,
    command: server.command === undefined ? undefined : sub(server.command, 'command'),
    args: server.args.map((a, i) => sub(a, `args[${i}]`)),
    env: subRecord(server.env, 'env'),
    cwd: server.cwd === undefined ? undefined : sub(server.cwd, 'cwd'),
    url: server.url === undefined ? undefined : sub(server.url, 'url'),
    headers: subRecord(server.headers, 'headers'),
  };
}

/** The `${input:id}` ids a server refers to, in order of first use. */
export function collectInputIds(server: ServerConfig): string[] {
  const texts = [server.command ?? '', ...server.args, ...Object.values(server.env), server.cwd ?? '', server.url ?? '', ...Object.values(server.headers)];
  const ids = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(REFERENCE)) if (match[1] === 'input' && match[2]) ids.add(match[2]);
  }
  return [...ids];
}
