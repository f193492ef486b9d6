import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ToolIndex } from './toolIndex';

export const SEARCH_TOOLS = 'search_tools';
export const CALL_TOOL = 'call_tool';

/** Results a search returns unless asked for another number, and the most it returns. */
const DEFAULT_SEARCH_LIMIT = 5;
const MAX_SEARCH_LIMIT = 20;

/** A tool as `search_tools` returns it: what a client needs to call it through `call_tool`. */
export interface FoundTool {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: Tool['inputSchema'];
  /** The MCP server it comes from (its name in the agent's config). */
  readonly server: string;
}

/**
 * The two tools of a search-mode session. The servers behind them are named in `search_tools`'s
 * description, which models read more reliably than server instructions.
 */
export function searchModeTools(servers: readonly string[]): Tool[] {
  const behind = servers.length > 0 ? `the MCP servers behind this endpoint (${servers.join(', ')})` : 'the MCP servers behind this endpoint (none connected yet)';
  return [
    {
      name: SEARCH_TOOLS,
      title: 'Search tools',
      description:
        `Finds tools among those of ${behind}. Describe the task in a few words, e.g. "create a GitHub issue" or ` +
        '"send an email"; returns the best matching tools with their name, description and inputSchema. Run one with call_tool.',
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'What you want to do, in a few words' },
          limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, description: `How many tools to return (default ${DEFAULT_SEARCH_LIMIT})` },
        },
        required: ['query'],
      },
      outputSchema: {
        type: 'object',
        properties: {
          tools: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, title: { type: 'string' }, description: { type: 'string' }, inputSchema: { type: 'object' }, server: { type: 'string' } },
              required: ['name', 'inputSchema', 'server'],
            },
          },
        },
        required: ['tools'],
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    {
      name: CALL_TOOL,
      title: 'Call a tool',
      description: "Runs a tool found with search_tools: give its exact name, and its arguments as its inputSchema describes them. Returns that tool's own result.",
      inputSchema: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'The name search_tools returned' },
          arguments: { type: 'object', description: "The tool's arguments", additionalProperties: true },
        },
        required: ['name'],
      },
    },
  ];
}

/** The `search_tools` result for `args`: the matches, as structured content and as its JSON text. */
export function searchResult(index: ToolIndex, args: unknown): CallToolResult {
  const { query, limit } = (typeof args === 'object' && args !== null ? args : {}) as { query?: unknown; limit?: unknown };
  if (typeof query !== 'string' || query.trim() === '') return toolError('search_tools needs a "query": the task in a few words, e.g. "send an email"');
  if (limit !== undefined && !(Number.isInteger(limit) && (limit as number) >= 1)) return toolError(`"limit" must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`);
  const count = Math.min(MAX_SEARCH_LIMIT, (limit as number | undefined) ?? DEFAULT_SEARCH_LIMIT);
  const tools: FoundTool[] = index.search(query, count).map(({ entry: { tool, server } }) => ({
    name: tool.name,
    ...(tool.title !== undefined && { title: tool.title }),
    ...(tool.description !== undefined && { description: tool.description }),
    inputSchema: tool.inputSchema,
    server,
  }));
  // MCP 2025-11-25 Tools, "Structured Content": the same JSON as text, for clients that do not read it.
  return { content: [{ type: 'text', text: JSON.stringify({ tools }) }], structuredContent: { tools } };
}

/** A tool execution error the model can act on (MCP 2025-11-25 Tools, "Error Handling"). */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * What the server instructions say in search mode: how to use the two tools, and which servers with
 * how many tools stand behind them.
 */
export function searchInstructions(toolsPerServer: ReadonlyMap<string, number>): string {
  const total = [...toolsPerServer.values()].reduce((sum, n) => sum + n, 0);
  const servers = [...toolsPerServer].map(([server, n]) => `${server} (${n} tool${n === 1 ? '' : 's'})`).join(', ');
  return [
    'This endpoint offers its tools through search: search_tools finds tools by what they do, in a few words; call_tool runs one by the name search_tools gave, with its arguments.',
    total > 0 ? `Behind them: ${servers}; ${total} tools in all.` : 'No server behind them has tools yet; more appear as servers connect.',
  ].join(' ');
}
