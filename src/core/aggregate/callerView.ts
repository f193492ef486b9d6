import { ErrorCode, type ClientRequest, type ReadResourceResult, type RequestId, type Result, type ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { CallRefused } from '../activity/callRefused';
import type { BackendSelector } from '../filter/selector';
import { ProxyError } from '../rpcError';
import type { Aggregator } from './aggregator';
import type { CatalogView } from './catalog';
import type { Caller, RoutedRequest } from './clientSession';
import { namespaced } from './naming';
import { unknownPromptError, unknownToolError, type NameContext } from './unknownName';

/** Where a name or URI a client sent leads: the backend and the backend's own name or URI. */
export interface RouteTarget {
  readonly backend: string;
  readonly original: string;
}

/** The requests that name something a backend offers and are forwarded to that backend. */
export const ROUTED_METHODS = ['tools/call', 'resources/read', 'prompts/get', 'completion/complete'] as const;
export type RoutedMethod = (typeof ROUTED_METHODS)[number];

const asIs = (result: Result): Result => result;

/** What a request names, for the record of one that could not be routed. */
function targetOf(params: Record<string, unknown> | undefined): string {
  const ref = params?.ref as { name?: unknown; uri?: unknown } | undefined;
  const named = params?.name ?? params?.uri ?? ref?.name ?? ref?.uri;
  return typeof named === 'string' ? named : '';
}

/**
 * What one caller may see and reach, by its backend selection: the one place that decides it for a
 * handshake session and for a stateless (2026-07-28) request alike. Lists, capabilities, instructions
 * and the routing of names and URIs all go through here.
 */
export class CallerView {
  constructor(private readonly hub: Aggregator, readonly selector: BackendSelector) {}

  /** Whether the selection includes `backend`. */
  sees(backend: string): boolean {
    const connection = this.hub.backends.get(backend);
    return connection !== undefined && this.selector.matches(connection.config.tags);
  }

  /** The list results this caller sees (shared by every caller with the same selection). */
  lists(): CatalogView {
    return this.hub.catalog.view(this.selector.key, (b) => this.sees(b));
  }

  /** The tool an exposed name leads to; InvalidParams, saying why, when the caller cannot call it. */
  tool(name: string): RouteTarget {
    const { catalog } = this.hub;
    const entry = catalog.tools.get(name);
    if (entry && this.sees(entry.backend)) return entry;
    const disabledBy = catalog.disabledTools.get(name);
    throw this.refusal(entry ?? (disabledBy === undefined ? undefined : { backend: disabledBy }), unknownToolError(name, this.nameContext()), disabledBy !== undefined);
  }

  prompt(name: string): RouteTarget {
    const entry = this.hub.catalog.prompts.get(name);
    if (!entry || !this.sees(entry.backend)) throw this.refusal(entry, unknownPromptError(name, this.nameContext()));
    return entry;
  }

  resource(uri: string): RouteTarget {
    const target = this.hub.catalog.resolveResource(uri);
    if (!target || !this.sees(target.backend)) {
      throw this.refusal(target, new ProxyError(ErrorCode.InvalidParams, `Resource "${uri}" not found; resources/list and resources/templates/list name those this session can read`));
    }
    return target;
  }

  /**
   * Routes a request that names a tool, prompt, resource or completion target, with the checks and
   * errors every caller gets (InvalidParams for what it cannot see or a malformed request). A request
   * it refuses goes into the activity record for `caller`.
   */
  route(method: RoutedMethod, params: Record<string, unknown> | undefined, caller?: Caller, requestId?: RequestId): RoutedRequest {
    try {
      return this.routeTo(method, params);
    } catch (error) {
      this.hub.activity?.refused(caller?.identity, { method, target: targetOf(params), requestId, params }, error);
      throw error;
    }
  }

  private routeTo(method: RoutedMethod, params: Record<string, unknown> | undefined): RoutedRequest {
    if (method === 'tools/call') {
      // A shape check rather than a schema parse: tools/call is the hot path, and the arguments and the
      // result pass through as they are.
      if (typeof params?.name !== 'string' || (params.arguments !== undefined && (typeof params.arguments !== 'object' || params.arguments === null))) {
        throw new ProxyError(ErrorCode.InvalidParams, 'Invalid tools/call request: params need a string "name" and an object "arguments"');
      }
      const entry = this.tool(params.name);
      return { backend: entry.backend, target: params.name, original: entry.original, request: { method, params: { ...params, name: entry.original } } as ClientRequest, finish: asIs };
    }
    if (method === 'prompts/get') {
      if (typeof params?.name !== 'string') throw new ProxyError(ErrorCode.InvalidParams, 'Invalid prompts/get request: params need a string "name"');
      const entry = this.prompt(params.name);
      return { backend: entry.backend, target: params.name, original: entry.original, request: { method, params: { ...params, name: entry.original } } as ClientRequest, finish: asIs };
    }
    if (method === 'resources/read') {
      if (typeof params?.uri !== 'string') throw new ProxyError(ErrorCode.InvalidParams, 'Invalid resources/read request: params need a string "uri"');
      const { backend, original } = this.resource(params.uri);
      const prefix = this.hub.backendOrThrow(backend).config.prefix;
      const finish = (result: Result): Result => {
        const read = result as ReadResourceResult;
        return { ...read, contents: (read.contents ?? []).map((c) => ({ ...c, uri: namespaced(prefix, c.uri) })) };
      };
      return { backend, target: params.uri, original, request: { method, params: { ...params, uri: original } } as ClientRequest, finish };
    }
    const ref = params?.ref as { type?: unknown; name?: unknown; uri?: unknown } | undefined;
    const byPrompt = ref?.type === 'ref/prompt' && typeof ref.name === 'string';
    if (!byPrompt && !(ref?.type === 'ref/resource' && typeof ref.uri === 'string')) {
      throw new ProxyError(ErrorCode.InvalidParams, 'Invalid completion/complete request: params need a "ref" to a prompt or a resource template');
    }
    const exposed = byPrompt ? (ref.name as string) : (ref.uri as string);
    const target = byPrompt ? this.prompt(exposed) : this.template(exposed);
    const routedRef = byPrompt ? { ...ref, name: target.original } : { ...ref, uri: target.original };
    return { backend: target.backend, target: exposed, original: target.original, request: { method, params: { ...params, ref: routedRef } } as ClientRequest, finish: asIs };
  }

  /** A resource template by its exposed URI template, else the resource a URI names. */
  template(uri: string): RouteTarget {
    const entry = this.hub.catalog.resourceTemplates.get(uri);
    if (entry && this.sees(entry.backend)) return entry;
    return this.resource(uri);
  }

  /**
   * Advertises only what the selected backends offer. Backends still connecting count as offering
   * everything, since the list_changed notifications that announce them need the capability declared.
   */
  capabilities(): ServerCapabilities {
    const selected = this.hub.backends.list().filter((b) => this.selector.matches(b.config.tags) && b.status !== 'disabled');
    const pending = selected.some((b) => b.status === 'connecting' || b.status === 'restarting' || b.status === 'awaiting_oauth');
    const has = (test: (c: ServerCapabilities) => unknown): boolean => pending || selected.some((b) => b.capabilities !== undefined && Boolean(test(b.capabilities)));
    const caps: ServerCapabilities = { tools: { listChanged: true } };
    if (has((c) => c.resources)) caps.resources = { listChanged: true, ...(has((c) => c.resources?.subscribe) && { subscribe: true }) };
    if (has((c) => c.prompts)) caps.prompts = { listChanged: true };
    if (has((c) => c.completions)) caps.completions = {};
    if (has((c) => c.logging)) caps.logging = {};
    return caps;
  }

  private nameContext(): NameContext {
    return { catalog: this.hub.catalog, backends: this.hub.backends.list(), sees: (b) => this.sees(b), reachable: (b) => this.reachable(b) };
  }

  /** Whether the caller could select `backend` at all: not outside its token's grant. */
  private reachable(backend: string): boolean {
    const tags = this.hub.backends.get(backend)?.config.tags;
    return tags !== undefined && (this.selector.reachable?.(tags) ?? true);
  }

  /**
   * `error` as the refusal it is when the backend that offers the name (`target`) is outside the
   * caller's grant, outside its selection, or the name is `disabled` by the config; the client is told
   * the same either way.
   */
  private refusal(target: { readonly backend: string; readonly original?: string } | undefined, error: ProxyError, disabled = false): ProxyError {
    if (target === undefined) return error;
    const { backend, original } = target;
    const where = { server: backend, serverTarget: original };
    if (!this.reachable(backend)) return new CallRefused('scope', error.message, { ...where, reason: `Backend "${backend}" is outside the grant of the client's token` });
    if (!this.sees(backend)) return new CallRefused('selection', error.message, where);
    return disabled ? new CallRefused('policy', error.message, where) : error;
  }

  /** The selected backends' instructions, one section each. */
  instructions(): string | undefined {
    const parts = this.hub.backends
      .list()
      .filter((b) => b.instructions && this.selector.matches(b.config.tags))
      .map((b) => `## ${b.name}\n${b.instructions ?? ''}`);
    return parts.length > 0 ? parts.join('\n\n') : undefined;
  }
}
