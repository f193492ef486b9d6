import * as path from 'node:path';
import { defaultConfigPath } from './core/config/configPath';

/** `-c, --config <file>`, as `serve` takes it: the mcp.json the inventory commands read and edit. */
export const CONFIG_FLAG = { config: { type: 'string', short: 'c' } } as const;

export const CONFIG_USAGE = `  -c, --config <file>        the config file [ONE_MCP_CONFIG] (default ${defaultConfigPath()})`;

/** The absolute path of the config the flags name: `--config`, else `ONE_MCP_CONFIG`, else the default. */
export function configFromFlags(values: { readonly config?: string }, env: NodeJS.ProcessEnv): string {
  return path.resolve(values.config ?? env.ONE_MCP_CONFIG ?? defaultConfigPath(env));
}
