import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';

/** Everything a backend offers, read to the end of every paginated list. */
export interface BackendLists {
  readonly tools: readonly Tool[];
  readonly resources: readonly Resource[];
  readonly resourceTemplates: readonly ResourceTemplate[];
  readonly prompts: readonly Prompt[];
}

export type ListKind = 'tools' | 'resources' | 'prompts';
type ListField = keyof BackendLists;

export const EMPTY_LISTS: BackendLists = Object.freeze({ tools: [], resources: [], resourceTemplates: [], prompts: [] });

/** Guards against a backend whose cursors never end. */
const MAX_PAGES = 1000;

/**
 * Reads the requested lists (all that the server's capabilities offer, by default), following
 * `nextCursor` to the end.
 */
export async function fetchLists(client: Client, timeout: number, fields: readonly ListField[] = ['tools', 'resources', 'resourceTemplates', 'prompts']): Promise<Partial<BackendLists>> {
  const caps = client.getServerCapabilities() ?? {};
  const options = { timeout };
  const wanted = (field: ListField): boolean =>
    fields.includes(field) && Boolean(field === 'tools' ? caps.tools : field === 'prompts' ? caps.prompts : caps.resources);
  const [tools, resources, resourceTemplates, prompts] = await Promise.all([
    wanted('tools') ? readAll((cursor) => client.listTools({ cursor }, options), (r) => r.tools) : [],
    wanted('resources') ? readAll((cursor) => client.listResources({ cursor }, options), (r) => r.resources) : [],
    wanted('resourceTemplates') ? readAll((cursor) => client.listResourceTemplates({ cursor }, options), (r) => r.resourceTemplates) : [],
    wanted('prompts') ? readAll((cursor) => client.listPrompts({ cursor }, options), (r) => r.prompts) : [],
  ]);
  const all: BackendLists = { tools, resources, resourceTemplates, prompts };
  return Object.fromEntries(fields.map((field) => [field, all[field]]));
}

async function readAll<R extends { nextCursor?: string }, T>(page: (cursor: string | undefined) => Promise<R>, items: (result: R) => T[]): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const result = await page(cursor);
    all.push(...items(result));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return all;
}
