import * as path from 'node:path';
import { defaultConfigPath } from './core/config/configPath';
import { SubstitutionError, type InputResolver } from './core/config/substitute';
import { FileSecretStore } from './core/secrets/fileSecretStore';

/**
 * `${input:id}` values for the headless agent. The agent looks for each in its environment
 * (`ONE_MCP_INPUT_<ID>`), then in `input-secrets.json` beside the agent's other secrets, where
 * `onemcp install` keeps what it asked for on a terminal. That file is read at each lookup and only
 * the commands write it, so a value stored while the agent runs is found when the server starts.
 */
export const INPUT_ENV_PREFIX = 'ONE_MCP_INPUT_';

/** The environment variable that gives the headless agent `${input:id}`: `weather-API_KEY` -> `ONE_MCP_INPUT_WEATHER_API_KEY`. */
export function inputEnvName(id: string): string {
  return `${INPUT_ENV_PREFIX}${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The 0600 file of stored inputs, in the user's 1MCP folder whichever config is served. */
export function inputsFilePath(env: NodeJS.ProcessEnv): string {
  return path.join(path.dirname(defaultConfigPath(env)), 'input-secrets.json');
}

/** How the headless agent resolves `${input:id}`; a missing value says where to put one. */
export function cliInputResolver(env: NodeJS.ProcessEnv): InputResolver {
  return async (id) => {
    const fromEnv = env[inputEnvName(id)];
    if (fromEnv) return fromEnv;
    const stored = await new FileSecretStore(inputsFilePath(env)).get(id);
    if (stored !== undefined) return stored;
    throw new SubstitutionError(`no value for \${input:${id}}: set ${inputEnvName(id)} in the agent's environment`);
  };
}

/** Keeps a value the user typed for `${input:id}` where the headless agent looks. */
export async function storeInput(env: NodeJS.ProcessEnv, id: string, value: string): Promise<void> {
  await new FileSecretStore(inputsFilePath(env)).set(id, value);
}
