import type { Prompt, Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { BackendLists } from '../backends/backendLists';
import { encodedJson, sharedResult } from '../sharedJson';
import { exposedToolName, namespaced, stripNamespace } from './naming';

/** What the catalog needs to know about one connected backend. */
export interface CatalogSource {
  readonly name: string;
  readonly prefix: string;
  readonly disabledTools: readonly string[];
  /** Own names of tools held back until the user accepts them (integrity/toolPins.ts). */
  readonly heldTools?: ReadonlySet<string>;
  readonly lists: BackendLists;
}

/** One item a backend offers, as clients see it, with the way back to the backend. */
export interface CatalogEntry<T> {
  readonly backend: string;
  /** The backend's own name or URI. */
  readonly original: string;
  /** The item with its name or URI namespaced. */
  readonly item: T;
}

/** A name two backends both wanted; the first in config order keeps it. */
export interface NameCollision {
  readonly backend: string;
  readonly kind: 'tool' | 'prompt' | 'resource' | 'resourceTemplate';
  readonly name: string;
  readonly keptBy: string;
}

/**
 * The list results one selection of backends sees, built once per catalog and selection and shared by
 * every session with that selection (see {@link sharedResult}).
 */
export interface CatalogView {
  readonly tools: { readonly tools: Tool[] };
  readonly resources: { readonly resources: Resource[] };
  readonly resourceTemplates: { readonly resourceTemplates: ResourceTemplate[] };
  readonly prompts: { readonly prompts: Prompt[] };
}

type BackendFilter = (backend: string) => boolean;

/**
 * An immutable index of everything the connected backends offer, namespaced and routed. Rebuilt when a
 * backend connects, disconnects or changes its lists; lookups and per-selection views are O(1) after that.
 */
export class Catalog {
  readonly tools = new Map<string, CatalogEntry<Tool>>();
  readonly prompts = new Map<string, CatalogEntry<Prompt>>();
  readonly resources = new Map<string, CatalogEntry<Resource>>();
  readonly resourceTemplates = new Map<string, CatalogEntry<ResourceTemplate>>();
  /** Exposed names of tools hidden by `disabledTools`, so a call can say why it is refused. */
  readonly disabledTools = new Map<string, string>();
  /** Exposed names of tools held back until the user accepts their definition, with their backend and own name. */
  readonly heldTools = new Map<string, { readonly backend: string; readonly original: string }>();
  readonly collisions: NameCollision[] = [];
  private readonly prefixes: { backend: string; prefix: string; templates: UriTemplate[] }[] = [];
  private readonly views = new Map<string, CatalogView>();

  constructor(sources: readonly CatalogSource[]) {
    for (const source of sources) this.add(source);
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
    for (const resource of lists.resources) {
      const uri = namespaced(prefix, resource.uri);
      this.put(this.resources, 'resource', uri, { backend, original: resource.uri, item: { ...resource, uri } });
    }
    const templates: UriTemplate[] = [];
    for (const template of lists.resourceTemplates) {
      const uriTemplate = namespaced(prefix, template.uriTemplate);
      this.put(this.resourceTemplates, 'resourceTemplate', uriTemplate, { backend, original: template.uriTemplate, item: { ...template, uriTemplate } });
      templates.push(new UriTemplate(template.uriTemplate));
    }
    this.prefixes.push({ backend, prefix, templates });
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
      const pick = <T>(map: Map<string, CatalogEntry<T>>): T[] => [...map.values()].filter((e) => allowed(e.backend)).map((e) => e.item);
      view = {
        tools: sharedResult({ tools: pick(this.tools) }),
        resources: sharedResult({ resources: pick(this.resources) }),
        resourceTemplates: sharedResult({ resourceTemplates: pick(this.resourceTemplates) }),
        prompts: sharedResult({ prompts: pick(this.prompts) }),
      };
      this.views.set(key, view);
    }
    return view;
  }

  /**
   * Finds the backend and original URI for a resource URI a client sent: a listed resource, else the
   * backend whose prefix it carries, else (for backends without a prefix) one whose templates match it.
   */
  resolveResource(uri: string): { backend: string; original: string } | undefined {
    const listed = this.resources.get(uri);
    if (listed) return { backend: listed.backend, original: listed.original };
    for (const { backend, prefix } of this.prefixes) {
      const original = prefix === '' ? undefined : stripNamespace(prefix, uri);
      if (original !== undefined) return { backend, original };
    }
    const unprefixed = this.prefixes.filter((p) => p.prefix === '');
    const byTemplate = unprefixed.find((p) => p.templates.some((t) => t.match(uri) !== null));
    const only = unprefixed.length === 1 ? unprefixed[0] : undefined;
    const owner = byTemplate ?? only;
    return owner ? { backend: owner.backend, original: uri } : undefined;
  }
}

/** Which of a caller's lists differ between two views (resources count with their templates). */
export function changedLists(before: CatalogView, after: CatalogView): { tools: boolean; resources: boolean; prompts: boolean } {
  const changed = (key: keyof CatalogView): boolean => before !== after && !encodedJson(before[key]).equals(encodedJson(after[key]));
  return { tools: changed('tools'), resources: changed('resources') || changed('resourceTemplates'), prompts: changed('prompts') };
}
