import type { Resource, ResourceTemplate, Tool } from '@modelcontextprotocol/sdk/types.js';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { BackendLists } from '../backends/backendLists';
import { toolUiUris, withToolUiUris } from './appMeta';

/** The backend behind a resource URI, and the URI as that backend names it. */
export interface ResourceOwner {
  readonly backend: string;
  readonly original: string;
}

/** One selected backend, as resource naming needs it. */
export interface ResourceSource {
  readonly backend: string;
  /** What tells its URIs apart on a collision: its prefix, or its name when the prefix is empty. */
  readonly label: string;
  readonly lists: BackendLists;
}

/** A template as one selection sees it, with what it matches. */
interface TemplateEntry {
  readonly owner: ResourceOwner;
  /** The template as the backend gives it. */
  readonly original: UriTemplate;
  /** The template as clients see it (the same unless it collides). */
  readonly exposed: UriTemplate;
  readonly colliding: boolean;
}

/**
 * How one selection of backends names resources. URIs are identifiers that travel inside content
 * (links, embedded resources, MCP App UIs), so each keeps the URI its server gave it; only a real
 * collision — the same URI offered by two backends (listed, or named by a tool's UI), or templates of two
 * backends that could match the same URI — is told apart, as `<label>+<uri>`: a valid URI whose scheme
 * (RFC 3986 §3.1) is the backend's label joined to the original scheme, as in `git+https`. Built once per
 * catalog and selection, and shared by every caller with that selection.
 */
export class ResourceNaming {
  readonly resources: Resource[] = [];
  readonly resourceTemplates: ResourceTemplate[] = [];
  /** Exposed URI -> owner, for listed resources and the UIs tools name. */
  private readonly named = new Map<string, ResourceOwner>();
  /** Original URI -> the backends that list it or name it as a tool's UI. */
  private readonly claims = new Map<string, Set<string>>();
  private readonly templates: TemplateEntry[] = [];
  /** Exposed URI template -> owner (for completion/complete). */
  private readonly templatesByText = new Map<string, ResourceOwner>();
  /** Backend -> label, and label -> backend. */
  private readonly labels = new Map<string, string>();
  private readonly byLabel = new Map<string, string>();
  /** URI scheme -> the one backend whose resources use it, or null when several do. */
  private readonly schemes = new Map<string, string | null>();
  /** The URIs and URI templates another backend offers too, and how clients see them. */
  readonly collisions: { readonly backend: string; readonly uri: string; readonly exposed: string }[] = [];

  constructor(sources: readonly ResourceSource[]) {
    for (const source of sources) this.label(source);
    for (const { backend, lists } of sources) {
      for (const resource of lists.resources) this.claim(resource.uri, backend);
      for (const tool of lists.tools) for (const uri of toolUiUris(tool)) this.claim(uri, backend);
    }
    for (const [uri, claimants] of this.claims) {
      if (claimants.size > 1) for (const backend of claimants) this.collisions.push({ backend, uri, exposed: this.decorate(backend, uri) });
    }
    const overlapping = overlappingTemplates(sources);
    for (const { backend, lists } of sources) {
      for (const resource of lists.resources) {
        const uri = this.exposedStatic(backend, resource.uri) ?? resource.uri;
        this.resources.push(uri === resource.uri ? resource : { ...resource, uri });
        this.named.set(uri, { backend, original: resource.uri });
      }
      for (const tool of lists.tools) {
        for (const original of toolUiUris(tool)) this.named.set(this.exposedStatic(backend, original) ?? original, { backend, original });
      }
      for (const template of lists.resourceTemplates) {
        const colliding = overlapping.has(template);
        const text = colliding ? this.decorate(backend, template.uriTemplate) : template.uriTemplate;
        const owner = { backend, original: template.uriTemplate };
        this.templates.push({ owner, original: new UriTemplate(template.uriTemplate), exposed: new UriTemplate(text), colliding });
        this.templatesByText.set(text, owner);
        this.resourceTemplates.push(colliding ? { ...template, uriTemplate: text } : template);
        if (colliding) this.collisions.push({ backend, uri: template.uriTemplate, exposed: text });
      }
      for (const uri of [...lists.resources.map((r) => r.uri), ...lists.resourceTemplates.map((t) => t.uriTemplate)]) this.useScheme(schemeOf(uri), backend);
    }
  }

  /** A tool as this selection shows it: a UI resource URI that collides is told apart here too. */
  tool(backend: string, tool: Tool): Tool {
    return withToolUiUris(tool, (uri) => this.exposedStatic(backend, uri) ?? uri);
  }

  /**
   * The URI clients see for `uri` as `backend` names it, when the lists decide it: as it is when the
   * backend offers it alone, told apart when another backend offers it too (or offers it instead).
   * Undefined when no list or template knows the URI (the caller remembers who named it).
   */
  exposedStatic(backend: string, uri: string): string | undefined {
    const claimants = this.claims.get(uri);
    if (claimants) return claimants.size === 1 && claimants.has(backend) ? uri : this.decorate(backend, uri);
    const matching = this.templates.filter((t) => t.original.match(uri) !== null);
    if (matching.length === 0) return undefined;
    return matching.every((t) => t.owner.backend === backend && !t.colliding) ? uri : this.decorate(backend, uri);
  }

  /** A listed resource, or a UI a tool names, by the URI clients see. */
  listed(uri: string): ResourceOwner | undefined {
    return this.named.get(uri);
  }

  /** The backend whose template (as clients see it) matches `uri`; templates that could collide are told apart, so the first match is the only one. */
  byTemplate(uri: string): ResourceOwner | undefined {
    for (const template of this.templates) {
      if (template.exposed.match(uri) === null) continue;
      return { backend: template.owner.backend, original: template.colliding ? this.undecorate(uri)?.original ?? uri : uri };
    }
    return undefined;
  }

  /** A resource template by the URI template clients see. */
  template(uriTemplate: string): ResourceOwner | undefined {
    return this.templatesByText.get(uriTemplate);
  }

  /** The owner a told-apart URI (`<label>+<uri>`) names. */
  undecorate(uri: string): ResourceOwner | undefined {
    const plus = uri.indexOf('+');
    const colon = uri.indexOf(':');
    if (plus <= 0 || (colon !== -1 && colon < plus)) return undefined;
    const backend = this.byLabel.get(uri.slice(0, plus));
    return backend === undefined ? undefined : { backend, original: uri.slice(plus + 1) };
  }

  /** The only backend whose resources use the URI's scheme. */
  byScheme(uri: string): ResourceOwner | undefined {
    const backend = this.schemes.get(schemeOf(uri) ?? '');
    return backend ? { backend, original: uri } : undefined;
  }

  /** The told-apart URIs of every backend that offers `uri`, when several do. */
  alternatives(uri: string): string[] {
    const claimants = this.claims.get(uri);
    return claimants && claimants.size > 1 ? [...claimants].map((backend) => this.decorate(backend, uri)) : [];
  }

  /** `<label>+<uri>`: the backend's URI, told apart from another backend's. */
  decorate(backend: string, uri: string): string {
    return `${this.labels.get(backend) ?? backend}+${uri}`;
  }

  private label({ backend, label }: ResourceSource): void {
    // A URI scheme starts with a letter and holds letters, digits, "+", "-" and "."; "+" joins the label.
    const base = /^[A-Za-z]/.test(label) ? label.replace(/_/g, '-') : `x-${label.replace(/_/g, '-')}`;
    let unique = base;
    for (let n = 2; this.byLabel.has(unique); n++) unique = `${base}-${n}`;
    this.labels.set(backend, unique);
    this.byLabel.set(unique, backend);
  }

  private claim(uri: string, backend: string): void {
    const claimants = this.claims.get(uri) ?? new Set<string>();
    claimants.add(backend);
    this.claims.set(uri, claimants);
  }

  private useScheme(scheme: string | undefined, backend: string): void {
    if (scheme === undefined) return;
    const current = this.schemes.get(scheme);
    this.schemes.set(scheme, current === undefined || current === backend ? backend : null);
  }
}

/** The scheme of a URI or URI template (RFC 3986 §3.1), lower case; undefined when it has none. */
export function schemeOf(uri: string): string | undefined {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri);
  return match?.[1]?.toLowerCase();
}

/** The templates that could match a URI another backend's template matches too. */
function overlappingTemplates(sources: readonly ResourceSource[]): Set<ResourceTemplate> {
  const all = sources.flatMap(({ backend, lists }) => lists.resourceTemplates.map((template) => ({ backend, template, shape: templateShape(template.uriTemplate) })));
  const overlapping = new Set<ResourceTemplate>();
  for (const [i, a] of all.entries()) {
    for (const b of all.slice(i + 1)) {
      if (a.backend !== b.backend && mayOverlap(a.shape, b.shape)) {
        overlapping.add(a.template);
        overlapping.add(b.template);
      }
    }
  }
  return overlapping;
}

/** The literal text before a template's first expression and after its last. */
function templateShape(template: string): { head: string; tail: string } {
  const first = template.indexOf('{');
  if (first === -1) return { head: template, tail: template };
  return { head: template.slice(0, first), tail: template.slice(template.lastIndexOf('}') + 1) };
}

/**
 * Whether two templates could match one URI: their literal starts agree as far as the shorter goes, and
 * so do their literal ends. Conservative: templates that only look alike count as overlapping.
 */
function mayOverlap(a: { head: string; tail: string }, b: { head: string; tail: string }): boolean {
  const heads = a.head.startsWith(b.head) || b.head.startsWith(a.head);
  const tails = a.tail.endsWith(b.tail) || b.tail.endsWith(a.tail);
  return heads && tails;
}
