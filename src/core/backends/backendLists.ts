import {
  ListPromptsResultSchema,
  ListResourcesResultSchema,
  ListResourceTemplatesResultSchema,
  ListToolsResultSchema,
  type Prompt,
  type Resource,
  type ResourceTemplate,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { BackendClient } from './backendClient';

/** Everything a backend offers, read to the end of every paginated list. */
export interface BackendLists {
  readonly tools: readonly Tool[];
  readonly resources: readonly Resource[];
  readonly resourceTemplates: readonly ResourceTemplate[];
  readonly prompts: readonly Prompt[];
}

type ListField = keyof BackendLists;

export const EMPTY_LISTS: BackendLists = Object.freeze({ tools: [], resources: [], resourceTemplates: [], prompts: [] });

/** Guards against a backend whose cursors never end. */
const MAX_PAGES = 1000;

/**
 * Reads the requested lists (all that the server's capabilities offer, by default), following
 * `nextCursor` to the end.
 */
export async function fetchLists(client: BackendClient, timeout: number, fields: readonly ListField[] = ['tools', 'resources', 'resourceTemplates', 'prompts']): Promise<Partial<BackendLists>> {
  const caps = client.getServerCapabilities() ?? {};
  const options = { timeout };
  const wanted = (field: ListField): boolean =>
    fields.includes(field) && Boolean(field === 'tools' ? caps.tools : field === 'prompts' ? caps.prompts : caps.resources);
  const [tools, resources, resourceTemplates, prompts] = await Promise.all([
    wanted('tools') ? readAll((cursor) => client.request({ method: 'tools/list', params: { cursor } }, ListToolsResultSchema, options), (r) => r.tools) : [],
    wanted('resources') ? readAll((cursor) => client.request({ method: 'resources/list', params: { cursor } }, ListResourcesResultSchema, options), (r) => r.resources) : [],
    wanted('resourceTemplates')
      ? readAll((cursor) => client.request({ method: 'resources/templates/list', params: { cursor } }, ListResourceTemplatesResultSchema, options), (r) => r.resourceTemplates)
      : [],
    wanted('prompts') ? readAll((cursor) => client.request({ method: 'prompts/list', params: { cursor } }, ListPromptsResultSchema, options), (r) => r.prompts) : [],
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
