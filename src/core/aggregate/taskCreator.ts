import type { Caller, ClientSession } from './clientSession';
import type { InflightRequests } from './inflightRequests';
import type { Askable, QuestionRefusal } from './questionTarget';
import type { TaskRoute } from './taskRoutes';

/**
 * Who is asked a backend's question about a task (elicitation or sampling carrying the task's id, MCP
 * 2025-11-25 Tasks, "Associating Task-Related Messages"): the client that created the task, whichever
 * requests of other clients are in flight. On its request to the backend in flight (the `tasks/result`
 * it waits on), else its most recently active session that answers requests; refused when it has none.
 * `awaiting`: the caller whose call the agent made a task of, while it waits for the result.
 */
export function taskCreatorTarget(
  route: TaskRoute,
  method: string,
  inflight: InflightRequests,
  sessions: Iterable<ClientSession>,
  awaiting: Caller | undefined,
): { asked: Askable } | { refused: QuestionRefusal } {
  const own = [...sessions].filter((s) => s.principal === route.principal && s.sees(route.backend));
  for (const creator of [...(awaiting ? [awaiting] : []), ...own]) {
    const call = inflight.newestOf(route.backend, creator);
    if (call) return { asked: call };
  }
  const [session] = own.filter((s) => s.answersRequests).sort((a, b) => b.lastActiveAt - a.lastActiveAt);
  if (session) return { asked: session };
  const message = `The client that created task "${route.id}" is not connected to answer ${method}`;
  return { refused: { backend: route.backend, method, reason: 'unanswerable', callers: [], message } };
}
