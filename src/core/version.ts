import { version } from '../../package.json';

/** How the agent names itself to clients and backends. */
export const AGENT_NAME = '1mcp-agent';
export const AGENT_VERSION: string = version;
