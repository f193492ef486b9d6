import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { BackendLists } from '../backends/backendLists';
import { encodedJson, sharedResult } from '../sharedJson';
import { exposedToolName, namespaced } from './naming';
import { ResourceNaming, type ResourceSource } from './resourceNaming';

/** What the catalog needs to know about one connected backend. */
export interface CatalogSource {
  readonly name: string;
  readonly prefix: string;
  readonly disabledTools: readonly string[];
  /** Own names of tools held back until the user accepts them (integrity/toolPins.ts). */
  readonly heldTools?: ReadonlySet<string>;
  readonly lists: BackendLists;
}

/** One tool or prompt a backend offers, as clients see it, with the way back to the backend. */
export interface CatalogEntry<T> {
  readonly backend: string;
  /** The backend's own name. */
  readonly original: string;
  /** The item with its name namespaced. */
  readonly item: T;
}

/** A name two backends both wanted; the first in config order keeps it. */
export interface NameCollision {
  readonly backend: string;
  readonly kind: 'tool' | 'prompt';
  readonly name: string;
  readonly keptBy: string;
}

/**
 * The list results one selection of backends sees, built once per catalog and selection and shared by
 * every session with that selection (see {@link sharedResult}), and how that selection names resources.
 */
export interface CatalogView {
  readonly tools: { readonly tools: Tool[] };
  readonly resources: { readonly resources: Resource[] };
  readonly resourceTemplates: { readonly resourceTemplates: ResourceTemplate[] };
  readonly prompts: { readonly prompts: Prompt[] };
  readonly resourceNaming: ResourceNaming;
}

/** The lists of a view that clients are sent. */
type ListKey = 'tools' | 'resources' | 'resourceTemplates' | 'prompts';

type BackendFilter = (backend: string) => boolean;

/**
 * An immutable index of everything the connected backends offer, namespaced and routed. Rebuilt when a
 * backend connects, disconnects or changes its lists; lookups and per-selection views are O(1) after that.
 * Tools and prompts are named `<prefix>_1mcp_<name>` for every caller alike; resource URIs keep their
 * server's URIs, told apart only where the backends one selection sees collide ({@link ResourceNaming}).
 */
export class Catalog {
  readonly tools = new Map<string, CatalogEntry<Tool>>();
  readonly prompts = new Map<string, CatalogEntry<Prompt>>();
  /** Exposed names of tools hidden by `disabledTools`, so a call can say why it is refused. */
  readonly disabledTools = new Map<string, string>();
  /** Exposed names of tools held back until the user accepts their definition, with their backend and own name. */
  readonly heldTools = new Map<string, { readonly backend: string; readonly original: string }>();
  readonly collisions: NameCollision[] = [];
  private readonly resourceSources: ResourceSource[] = [];
  private readonly views = new Map<string, CatalogView>();

  constructor(sources: readonly CatalogSource[]) {
    for (const source of sources) this.add(source);
  }

  /** How resources are named when every connected backend is seen (what the agent reports on collisions). */
  allResources(): ResourceNaming {
    return new ResourceNaming(this.resourceSources);
  }

  private add(source: CatalogSource): void {
    const { name: backend, prefix, lists } = source;
    const disabled = new Set(source.disabledTools);
    for (const tool of lists.tools) {
      const name = exposedToolName(prefix, tool.name);
      if (disabled.has(tool.name)) this.disabledTools.set(name, backend);
      else if (source.heldTools?.has(tool.name)) this.heldTools.set(name, { backend, original: tool.name });
      else this.put(this.tools, 'tool', name, { backend, original: tool.name, item: { ...tool, name } });
    }
    for (const prompt of lists.prompts) {
      const name = namespaced(prefix, prompt.name);
      this.put(this.prompts, 'prompt', name, { backend, original: prompt.name, item: { ...prompt, name } });
    }
    this.resourceSources.push({ backend, label: prefix === '' ? backend : prefix, lists });
  }

  private put<T>(map: Map<string, CatalogEntry<T>>, kind: NameCollision['kind'], name: string, entry: CatalogEntry<T>): void {
    const existing = map.get(name);
    if (existing) {
      this.collisions.push({ backend: entry.backend, kind, name, keptBy: existing.backend });
      return;
    }
    map.set(name, entry);
  }

  /** The lists visible to a selection; `key` identifies the selection for caching. */
  view(key: string, allowed: BackendFilter): CatalogView {
    let view = this.views.get(key);
    if (!view) {
      const pick = <T>(map: Map<string, CatalogEntry<T>>): CatalogEntry<T>[] => [...map.values()].filter((e) => allowed(e.backend));
      const naming = new ResourceNaming(this.resourceSources.filter((s) => allowed(s.backend)));
      view = {
        tools: sharedResult({ tools: pick(this.tools).map((e) => naming.tool(e.backend, e.item)) }),
        resources: sharedResult({ resources: naming.resources }),
        resourceTemplates: sharedResult({ resourceTemplates: naming.resourceTemplates }),
        prompts: sharedResult({ prompts: pick(this.prompts).map((e) => e.item) }),
        resourceNaming: naming,
      };
      this.views.set(key, view);
    }
    return view;
  }
}

/** Which of a caller's lists differ between two views (resources count with their templates). */
export function changedLists(before: CatalogView, after: CatalogView): { tools: boolean; resources: boolean; prompts: boolean } {
  const changed = (key: ListKey): boolean => before !== after && !encodedJson(before[key]).equals(encodedJson(after[key]));
  return { tools: changed('tools'), resources: changed('resources') || changed('resourceTemplates'), prompts: changed('prompts') };
}
