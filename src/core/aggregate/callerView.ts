import { ErrorCode, type ClientRequest, type CreateTaskResult, type RequestId, type Result, type ServerCapabilities, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { CallRefused } from '../activity/callRefused';
import type { BackendSelector } from '../filter/selector';
import { ProxyError } from '../rpcError';
import type { Aggregator } from './aggregator';
import type { CatalogEntry, CatalogView } from './catalog';
import type { Caller } from './clientSession';
import { NamedUris } from './namedUris';
import type { ResourceNaming, ResourceOwner } from './resourceNaming';
import { renameResultUris } from './resultUris';
import type { RoutedRequest } from './routedRequest';
import { withRelatedTask, withTaskId, type TaskRoute } from './taskRoutes';
import { unknownPromptError, unknownToolError, type NameContext } from './unknownName';

/** Where a name or URI a client sent leads: the backend and the backend's own name or URI. */
export interface RouteTarget {
  readonly backend: string;
  readonly original: string;
}

/** The requests that name something a backend offers and are forwarded to that backend. */
export const ROUTED_METHODS = ['tools/call', 'resources/read', 'prompts/get', 'completion/complete'] as const;
export type RoutedMethod = (typeof ROUTED_METHODS)[number];

/** The requests about a task a client created, routed to the backend that runs it (MCP 2025-11-25 Tasks). */
export type TaskMethod = 'tasks/get' | 'tasks/result' | 'tasks/cancel';

/** Numbers the views that have no principal of their own (an internal key, never shown to a client). */
let unnamedCallers = 0;

/** Options of a caller's view. */
export interface CallerViewOptions {
  /** The resource URIs backends named to this caller (a session's own; a stateless principal's). */
  readonly named?: NamedUris;
  /** Who the caller is to the tasks it creates; without one, this view alone. */
  readonly principal?: string;
}

const asIs = (result: Result): Result => result;

/** What a request names, for the record of one that could not be routed. */
function targetOf(params: Record<string, unknown> | undefined): string {
  const ref = params?.ref as { name?: unknown; uri?: unknown } | undefined;
  const named = params?.name ?? params?.uri ?? ref?.name ?? ref?.uri;
  return typeof named === 'string' ? named : '';
}

/** The backend that offers a resource URI among all those connected, seen by the caller or not (what a refusal names). */
function offeredBy(naming: ResourceNaming, uri: string): ResourceOwner | undefined {
  return naming.listed(uri) ?? naming.byTemplate(uri) ?? naming.undecorate(uri);
}

/**
 * What one caller may see and reach, by its backend selection: the one place that decides it for a
 * handshake session and for a stateless (2026-07-28) request alike. Lists, capabilities, instructions
 * and the routing of names and URIs all go through here.
 */
export class CallerView {
  private readonly named: NamedUris;
  /** Who the caller is to the tasks it creates: only this principal reaches them. */
  readonly principal: string;

  constructor(private readonly hub: Aggregator, readonly selector: BackendSelector, options: CallerViewOptions = {}) {
    this.named = options.named ?? new NamedUris();
    this.principal = options.principal ?? `caller:${++unnamedCallers}`;
  }

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
  tool(name: string): CatalogEntry<Tool> {
    const { catalog } = this.hub;
    const entry = catalog.tools.get(name);
    if (entry && this.sees(entry.backend)) return entry;
    const disabledBy = catalog.disabledTools.get(name);
    const held = catalog.heldTools.get(name);
    const owner = entry ?? held ?? (disabledBy === undefined ? undefined : { backend: disabledBy });
    throw this.refusal(owner, unknownToolError(name, this.nameContext()), disabledBy !== undefined || held !== undefined);
  }

  prompt(name: string): RouteTarget {
    const entry = this.hub.catalog.prompts.get(name);
    if (!entry || !this.sees(entry.backend)) throw this.refusal(entry, unknownPromptError(name, this.nameContext()));
    return entry;
  }

  /**
   * The backend a resource URI leads to, in this order: the backend that lists it (or whose tool names
   * it as its UI); the one whose template matches it; the one that named it to this caller before, in a
   * result; the one a told-apart URI (`<label>+<uri>`) names; the only backend whose resources use its
   * scheme. InvalidParams otherwise, naming the told-apart URIs when several backends offer it.
   */
  resource(uri: string): RouteTarget {
    const naming = this.lists().resourceNaming;
    const remembered = this.named.get(uri);
    const owner = naming.listed(uri) ?? naming.byTemplate(uri) ?? (remembered && this.sees(remembered.backend) ? remembered : undefined) ?? naming.undecorate(uri) ?? naming.byScheme(uri);
    if (owner && this.sees(owner.backend)) return owner;
    const alternatives = naming.alternatives(uri);
    if (alternatives.length > 0) {
      throw new ProxyError(ErrorCode.InvalidParams, `Resource "${uri}" is offered by several backends this session sees: read it as ${alternatives.map((a) => `"${a}"`).join(' or ')}`);
    }
    const notFound = new ProxyError(ErrorCode.InvalidParams, `Resource "${uri}" not found: no backend this session sees lists it, has a template for it or named it; resources/list and resources/templates/list name those it can read`);
    throw this.refusal(offeredBy(this.hub.catalog.allResources(), uri), notFound);
  }

  /**
   * The URI this caller sees for one `backend` named in a result: as it is, unless another backend this
   * caller sees offers the same URI (then told apart). A URI no list accounts for is remembered as named
   * by `backend`, so a read of it goes there; the first backend to name it to this caller keeps it.
   */
  exposedUri(backend: string, uri: string): string {
    const naming = this.lists().resourceNaming;
    const exposed = naming.exposedStatic(backend, uri);
    if (exposed !== undefined) return exposed;
    const known = this.named.get(uri);
    if (known && known.backend !== backend && this.sees(known.backend)) return naming.decorate(backend, uri);
    this.named.set(uri, { backend, original: uri });
    return uri;
  }

  /** What the caller sees of a backend's result: the resource URIs in it as this caller knows them. */
  private finisher(backend: string): (result: Result) => Result {
    // A backend that serves no resources names none a read could reach through it: its results go on untouched.
    if (!this.hub.backends.get(backend)?.capabilities?.resources) return asIs;
    return (result) => renameResultUris(result, (uri) => this.exposedUri(backend, uri));
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
      const routed = { backend: entry.backend, target: params.name, original: entry.original, request: { method, params: { ...params, name: entry.original } } as ClientRequest, finish: this.finisher(entry.backend) };
      if (params.task !== undefined) return { ...routed, finish: (result) => this.taskCreated(entry.backend, result) ?? routed.finish(result) };
      return this.runsOnlyAsTask(entry) ? this.awaitingTask(routed) : routed;
    }
    if (method === 'prompts/get') {
      if (typeof params?.name !== 'string') throw new ProxyError(ErrorCode.InvalidParams, 'Invalid prompts/get request: params need a string "name"');
      const entry = this.prompt(params.name);
      return { backend: entry.backend, target: params.name, original: entry.original, request: { method, params: { ...params, name: entry.original } } as ClientRequest, finish: this.finisher(entry.backend) };
    }
    if (method === 'resources/read') {
      if (typeof params?.uri !== 'string') throw new ProxyError(ErrorCode.InvalidParams, 'Invalid resources/read request: params need a string "uri"');
      const { backend, original } = this.resource(params.uri);
      return { backend, target: params.uri, original, request: { method, params: { ...params, uri: original } } as ClientRequest, finish: this.finisher(backend) };
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

  /** `tasks/get`, `tasks/result` or `tasks/cancel` of a task this caller created, to the backend that runs it. */
  routeTask(method: TaskMethod, params: Record<string, unknown> | undefined): RoutedRequest {
    const id = params?.taskId;
    if (typeof id !== 'string') throw new ProxyError(ErrorCode.InvalidParams, `Invalid ${method} request: params need a string "taskId"`);
    const route = this.hub.tasks.get(this.principal, id);
    if (!route || !this.sees(route.backend)) {
      throw new ProxyError(ErrorCode.InvalidParams, `Task "${id}" not found: no task of that id was created by this client through the backends it sees, or it is too old to be remembered`);
    }
    return this.taskRequest(method, route, params ?? {});
  }

  /** The backends this caller sees that list tasks, with the tasks this caller created on each (by the backend's ids). */
  taskLists(): { backend: string; routes: Map<string, TaskRoute> }[] {
    return this.hub.backends
      .list()
      .filter((b) => b.capabilities?.tasks?.list && this.sees(b.name))
      .map((b) => ({ backend: b.name, routes: this.hub.tasks.ofPrincipal(this.principal, b.name) }))
      .filter((b) => b.routes.size > 0);
  }

  private taskRequest(method: TaskMethod, route: TaskRoute, params: Record<string, unknown>): RoutedRequest {
    const request = { method, params: { ...params, taskId: route.original } } as ClientRequest;
    const task = { backend: route.backend, target: route.id, original: route.original, request };
    if (method !== 'tasks/result') return { ...task, finish: (result) => withTaskId(result, route.id) };
    const uris = this.finisher(route.backend);
    return { ...task, finish: (result) => withRelatedTask(uris(result), route.id) };
  }

  /** A CreateTaskResult as the caller sees it: the task is the caller's from now on, under an id of the agent's. Undefined for any other result. */
  private taskCreated(backend: string, result: Result): Result | undefined {
    const route = this.taskRoute(backend, result);
    return route && withTaskId(result, route.id);
  }

  private taskRoute(backend: string, result: Result): TaskRoute | undefined {
    const original = (result as Partial<CreateTaskResult>).task?.taskId;
    return typeof original === 'string' ? this.hub.tasks.add(this.principal, backend, original) : undefined;
  }

  /** Whether a tool runs only as a task (MCP 2025-11-25 Tasks, "Tool-Level Negotiation") on a backend that takes them. */
  private runsOnlyAsTask(entry: CatalogEntry<Tool>): boolean {
    return entry.item.execution?.taskSupport === 'required' && Boolean(this.hub.backends.get(entry.backend)?.capabilities?.tasks?.requests?.tools?.call);
  }

  /**
   * A call, made without a task, of a tool that runs only as one: the agent makes it a task and waits for
   * its result, so the caller gets the tool's answer as that of an ordinary call (a 2026-07-28 client
   * has no tasks to poll, and a client that does not use tasks gets an answer instead of -32601).
   */
  private awaitingTask(routed: RoutedRequest): RoutedRequest {
    const params = (routed.request.params ?? {}) as Record<string, unknown>;
    const followTask = (created: Result): RoutedRequest => {
      const route = this.taskRoute(routed.backend, created);
      if (!route) throw new ProxyError(ErrorCode.InternalError, `Backend "${routed.backend}" did not create a task for a tool that runs only as one`);
      const awaiting = this.taskRequest('tasks/result', route, {});
      // The caller never saw the task: its result comes without the task's id.
      return { ...awaiting, finish: (result) => withRelatedTask(routed.finish(result), undefined) };
    };
    return { ...routed, request: { ...routed.request, params: { ...params, task: {} } } as ClientRequest, followTask };
  }

  /** A resource template by the URI template this caller sees, else the resource a URI names. */
  template(uri: string): RouteTarget {
    const entry = this.lists().resourceNaming.template(uri);
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
    // A client makes a task only of a call to a tool whose execution.taskSupport asks for one, which
    // only a backend that takes tasks gives.
    if (has((c) => c.tasks?.requests?.tools?.call)) {
      caps.tasks = { ...(has((c) => c.tasks?.list) && { list: {} }), ...(has((c) => c.tasks?.cancel) && { cancel: {} }), requests: { tools: { call: {} } } };
    }
    // Extensions carry settings, which only a connected backend has given.
    const connected = selected.filter((b) => b.capabilities !== undefined);
    const extensions = Object.assign({}, ...connected.map((b) => b.capabilities?.extensions).filter(Boolean).reverse()) as Record<string, object>;
    if (Object.keys(extensions).length > 0) caps.extensions = extensions;
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
   * caller's grant, outside its selection, or the name is refused `byPolicy` (disabled by the config,
   * held back until the user accepts it); the client is told the same either way.
   */
  private refusal(target: { readonly backend: string; readonly original?: string } | undefined, error: ProxyError, byPolicy = false): ProxyError {
    if (target === undefined) return error;
    const { backend, original } = target;
    const where = { server: backend, serverTarget: original, data: error.data };
    if (!this.reachable(backend)) return new CallRefused('scope', error.message, { ...where, reason: `Backend "${backend}" is outside the grant of the client's token` });
    if (!this.sees(backend)) return new CallRefused('selection', error.message, where);
    return byPolicy ? new CallRefused('policy', error.message, where) : error;
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
