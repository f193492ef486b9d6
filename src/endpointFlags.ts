import { DEFAULT_HOST, DEFAULT_PORT } from './core/endpointDefaults';
import { SELECTOR_PARAMS } from './core/filter/fromQuery';
import { TOOL_MODES } from './core/config/words';
import { urlHost } from './core/listenAddress';
import { UsageError } from './usageError';

/**
 * Flags that name the agent's endpoint, shared by `proxy` and `connect`: `--url`, or `--host` and
 * `--port`; and the query parameters the endpoint takes, passed through as they are (the tag
 * selectors: `--tags`, `--tag-filter`, `--preset`; the tool search: `--mode`).
 */
export const ENDPOINT_FLAGS = {
  url: { type: 'string' },
  host: { type: 'string', short: 'H' },
  port: { type: 'string', short: 'P' },
  tags: { type: 'string', short: 'g' },
  'tag-filter': { type: 'string' },
  preset: { type: 'string' },
  mode: { type: 'string' },
} as const;

/** Every flag that becomes a query parameter of the same name. */
const QUERY_FLAGS = [...SELECTOR_PARAMS, 'mode'] as const;

export const ENDPOINT_USAGE = `      --url <url>            the agent's endpoint (default http://<host>:<port>/mcp)
  -H, --host <address>       the agent's host [ONE_MCP_HOST] (default ${DEFAULT_HOST})
  -P, --port <port>          the agent's port [ONE_MCP_PORT] (default ${DEFAULT_PORT})
  -g, --tags <a,b>           only backends with one of these tags (?tags=)
      --tag-filter <expr>    only backends matching a tag expression (?tag-filter=)
      --preset <name>        only the backends of a preset in the config (?preset=)
      --mode <mode>          all, search (two tools that find and run the others) or auto (search past 128 tools) (?mode=)`;

type EndpointValues = { [K in keyof typeof ENDPOINT_FLAGS]?: string };

/** The endpoint URL the flags name, with the query parameters they ask for. */
export function endpointFromFlags(values: EndpointValues, env: NodeJS.ProcessEnv): string {
  if (values.url !== undefined && (values.host !== undefined || values.port !== undefined)) throw new UsageError('use --url, or --host and --port, not both');
  let url: URL;
  if (values.url !== undefined) {
    if (!URL.canParse(values.url) || !/^https?:$/.test(new URL(values.url).protocol)) throw new UsageError(`--url is not an http(s) URL: "${values.url}"`);
    url = new URL(values.url);
  } else {
    const port = values.port ?? env.ONE_MCP_PORT ?? String(DEFAULT_PORT);
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw new UsageError(`--port must be a number from 1 to 65535, got "${port}"`);
    const host = values.host ?? env.ONE_MCP_HOST ?? DEFAULT_HOST;
    // A wildcard bind (0.0.0.0, as `serve` may take from ONE_MCP_HOST) is reached on loopback.
    url = new URL(`http://${urlHost(host)}:${port}/mcp`);
  }
  if (SELECTOR_PARAMS.filter((name) => values[name] !== undefined).length > 1) throw new UsageError('use only one of --tags, --tag-filter and --preset');
  if (values.mode !== undefined && !(TOOL_MODES as readonly string[]).includes(values.mode)) throw new UsageError(`--mode must be one of ${TOOL_MODES.join(', ')}, got "${values.mode}"`);
  for (const name of QUERY_FLAGS) {
    const value = values[name];
    if (value !== undefined) url.searchParams.set(name, value);
  }
  // Commas are legal in a query, and people read these URLs in their clients' configs.
  return url.toString().replaceAll('%2C', ',');
}
