import { randomBytes } from 'node:crypto';
import { RELATED_TASK_META_KEY, type Result } from '@modelcontextprotocol/sdk/types.js';

/** How many tasks one principal's routes hold; its oldest are forgotten first. */
const TASKS_PER_PRINCIPAL = 1000;
/** How many task routes the agent holds in all. */
const TASKS = 20_000;

/** Where a task id a client holds leads: the backend that runs the task, under the backend's own id. */
export interface TaskRoute {
  /** The id the client was given. */
  readonly id: string;
  readonly backend: string;
  /** The backend's id for the task. */
  readonly original: string;
  /** Who created it: only this principal reaches it. */
  readonly principal: string;
}

/**
 * The tasks clients created through the agent (MCP 2025-11-25 Tasks), by the ids the clients hold. Each
 * task gets an id of the agent's own, random (so it cannot be guessed, nor collide with another backend's),
 * bound to the principal that created it: `tasks/get`, `tasks/result`, `tasks/cancel` and `tasks/list`
 * of any other principal find nothing ("When an authorization context is provided, receivers MUST bind
 * tasks to said context"). Bounded per principal and in all, oldest first; a forgotten task is one the
 * backend has long expired.
 */
export class TaskRoutes {
  private readonly byId = new Map<string, TaskRoute>();
  private readonly byOriginal = new Map<string, TaskRoute>();
  private readonly counts = new Map<string, number>();

  /** Records a task `backend` created for `principal` under its id `original`; returns the route with the client's id. */
  add(principal: string, backend: string, original: string): TaskRoute {
    const route: TaskRoute = { id: randomBytes(18).toString('base64url'), backend, original, principal };
    this.byId.set(route.id, route);
    this.byOriginal.set(originalKey(backend, original), route);
    this.counts.set(principal, (this.counts.get(principal) ?? 0) + 1);
    if ((this.counts.get(principal) ?? 0) > TASKS_PER_PRINCIPAL) this.forget([...this.byId.values()].find((r) => r.principal === principal));
    if (this.byId.size > TASKS) this.forget(this.byId.values().next().value);
    return route;
  }

  /** The task `principal` holds by `id`, if it created it. */
  get(principal: string, id: string): TaskRoute | undefined {
    const route = this.byId.get(id);
    return route?.principal === principal ? route : undefined;
  }

  /** The route of a task by the backend's own id. */
  fromBackend(backend: string, original: string): TaskRoute | undefined {
    return this.byOriginal.get(originalKey(backend, original));
  }

  /** The routes of `principal`'s tasks on `backend`, by the backend's ids. */
  ofPrincipal(principal: string, backend: string): Map<string, TaskRoute> {
    const routes = new Map<string, TaskRoute>();
    for (const route of this.byId.values()) if (route.principal === principal && route.backend === backend) routes.set(route.original, route);
    return routes;
  }

  private forget(route: TaskRoute | undefined): void {
    if (!route) return;
    this.byId.delete(route.id);
    this.byOriginal.delete(originalKey(route.backend, route.original));
    const count = (this.counts.get(route.principal) ?? 1) - 1;
    if (count > 0) this.counts.set(route.principal, count);
    else this.counts.delete(route.principal);
  }
}

function originalKey(backend: string, original: string): string {
  return `${backend}\0${original}`;
}

/** The task a message is related to (MCP 2025-11-25 Tasks, "Related Task Metadata"), by the id it carries. */
export function relatedTaskId(params: { _meta?: Record<string, unknown> } | undefined): string | undefined {
  const related = params?._meta?.[RELATED_TASK_META_KEY] as { taskId?: unknown } | undefined;
  return typeof related?.taskId === 'string' ? related.taskId : undefined;
}

/** `value` with its `_meta` related-task id replaced (or the key removed, with `id` undefined). */
export function withRelatedTask<T extends { _meta?: Record<string, unknown> }>(value: T, id: string | undefined): T {
  if (!value._meta || !(RELATED_TASK_META_KEY in value._meta)) return value;
  const { [RELATED_TASK_META_KEY]: _related, ...rest } = value._meta;
  const meta = id === undefined ? rest : { ...rest, [RELATED_TASK_META_KEY]: { taskId: id } };
  if (Object.keys(meta).length > 0) return { ...value, _meta: meta };
  const { _meta: _none, ...withoutMeta } = value;
  return withoutMeta as T;
}

/** A task result's `task` (CreateTaskResult), `taskId` (Task) renamed to the id the client holds. */
export function withTaskId(result: Result, id: string): Result {
  const created = (result as { task?: { taskId?: unknown } }).task;
  if (created && typeof created === 'object') return { ...result, task: { ...created, taskId: id } };
  return 'taskId' in result ? { ...result, taskId: id } : result;
}
