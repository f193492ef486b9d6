// The words of mcp.json that other parts name (transports, protocol eras, tool modes), apart from the
// zod schema: naming one (the stdio bridge checks --mode) does not build the schema.

/** What a tag may be made of (a server's `tags`, a token's `tag:` scopes): letters, digits, `_-.:`, up to 64. */
export const TAG_NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Transport kinds a server entry may name; `http` tries streamable HTTP first and falls back to SSE. */
export const TRANSPORT_TYPES = ['stdio', 'http', 'streamableHttp', 'sse'] as const;
export type TransportType = (typeof TRANSPORT_TYPES)[number];

/** Which era the agent speaks to a backend: `auto` negotiates (and remembers), the others pin it. */
export const PROTOCOL_PREFERENCES = ['auto', 'modern', 'legacy'] as const;
export type ProtocolPreference = (typeof PROTOCOL_PREFERENCES)[number];

/**
 * How a session is offered its tools: `all` lists every tool it may see; `search` lists two tools,
 * `search_tools` and `call_tool`, that reach all of them; `auto` is `search` once the session would see
 * more than 128 tools, `all` below (`searches()` in sessions/toolMode.ts).
 */
export const TOOL_MODES = ['all', 'search', 'auto'] as const;
export type ToolMode = (typeof TOOL_MODES)[number];

/**
 * When the agent asks the calling client before a tool runs: `none` (never; clients confirm tool calls
 * themselves), `destructive` (tools whose annotations say `destructiveHint: true` and not
 * `readOnlyHint: true`), `all`; or a list of tool-name patterns (`*` any run of characters, `?` one).
 */
export const CONFIRM_WORDS = ['none', 'destructive', 'all'] as const;
export type ConfirmWord = (typeof CONFIRM_WORDS)[number];
export type ConfirmPolicy = ConfirmWord | readonly string[];
