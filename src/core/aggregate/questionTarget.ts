import type { Result, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Caller, ClientRequestOptions, ClientSession } from './clientSession';
import type { InflightRequests } from './inflightRequests';

/**
 * Why the agent answered a backend's question with an error instead of putting it to a client:
 * `ambiguous`, several clients could be the one it is for; `unanswerable`, no connected client that
 * sees the backend can answer it.
 */
export type QuestionRefusalReason = 'ambiguous' | 'unanswerable';

/** A backend's question (sampling, elicitation, roots) that the agent refused, as the log and the activity record tell it. */
export interface QuestionRefusal {
  readonly backend: string;
  /** `elicitation/create`, `sampling/createMessage` or `roots/list`. */
  readonly method: string;
  readonly reason: QuestionRefusalReason;
  /** Whom it could have been for: the callers with calls in flight to the backend, or with none, the sessions that see it. */
  readonly callers: readonly Caller[];
  /** What the backend is answered (never the question's content). */
  readonly message: string;
}

/** Someone a question can be put to: a request in flight (on it), or a session. */
export interface Askable {
  sendRequest(request: ServerRequest, options: ClientRequestOptions): Promise<Result>;
}

/**
 * Who is asked a question that the backend did not tie to one request (stdio and SSE cannot; on
 * streamable HTTP, one it sent on its GET stream). It is attributed only where one client is the only
 * one it can be for, never guessed:
 *
 * - calls in flight to the backend, all of one caller: that caller's newest call;
 * - calls of several callers: refused (it may belong to any of them);
 * - no call in flight: the one session that sees the backend and answers requests; with several,
 *   refused too. Which of them sees the backend follows its selection and its token's tags, but the
 *   question may still come of another client's finished call, so none is picked for the rest.
 */
export function questionTarget(backend: string, method: string, inflight: InflightRequests, sessions: Iterable<ClientSession>): { asked: Askable } | { refused: QuestionRefusal } {
  const callers = inflight.callersOf(backend);
  const [caller] = callers;
  const call = callers.length === 1 && caller ? inflight.newestOf(backend, caller) : undefined;
  if (call) return { asked: call };
  if (callers.length > 1) {
    const message = `The agent cannot tell which client this ${method} is for: calls of ${callers.length} clients are in flight to this backend, and it did not say which one the question belongs to`;
    return { refused: { backend, method, reason: 'ambiguous', callers, message } };
  }
  const answering = [...sessions].filter((s) => s.answersRequests && s.sees(backend));
  const [session] = answering;
  if (answering.length === 1 && session) return { asked: session };
  if (answering.length === 0) {
    return { refused: { backend, method, reason: 'unanswerable', callers: [], message: `No connected client can answer ${method} for backend "${backend}"` } };
  }
  const message = `The agent cannot tell which client this ${method} is for: it belongs to no call in flight, and ${answering.length} clients see this backend`;
  return { refused: { backend, method, reason: 'ambiguous', callers: answering, message } };
}
