import { TOOL_MODES, type ToolMode } from '../config/words';
import type { ClientDefaults } from '../config/types';
import { HttpError } from '../httpError';

/** VS Code sends at most 128 tools with a chat request; past that `auto` searches. */
const AUTO_SEARCH_ABOVE = 128;

/** The mode of a session, once the name its client gives in `initialize` is known (undefined before). */
export type ToolModeChoice = (clientName: string | undefined) => ToolMode;

/** Whether a session in `mode` that would see `toolCount` tools is offered the search tools. */
export function searches(mode: ToolMode, toolCount: number): boolean {
  return mode === 'search' || (mode === 'auto' && toolCount > AUTO_SEARCH_ABOVE);
}

/** `?mode=` of a request, if given; HttpError 400 for anything but a known mode. */
export function toolModeFromQuery(query: Record<string, unknown>): ToolMode | undefined {
  const value = query.mode;
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (TOOL_MODES as readonly string[]).includes(value)) return value as ToolMode;
  throw new HttpError(400, 'invalid_request', `?mode= must be one of ${TOOL_MODES.join(', ')} (got ${JSON.stringify(value)})`);
}

/**
 * The mode for a client: the one its URL asks for, else its entry in the config's `"clients"` (its
 * `clientInfo.name`, ignoring case), else the `"*"` entry, else `all`.
 */
export function chooseToolMode(asked: ToolMode | undefined, clients: ClientDefaults, clientName: string | undefined): ToolMode {
  if (asked) return asked;
  const wanted = clientName?.toLowerCase();
  const named = wanted === undefined ? undefined : Object.entries(clients).find(([name]) => name !== '*' && name.toLowerCase() === wanted)?.[1];
  return named?.toolMode ?? clients['*']?.toolMode ?? 'all';
}
