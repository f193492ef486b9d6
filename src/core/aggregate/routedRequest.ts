import type { ClientRequest, Result } from '@modelcontextprotocol/sdk/types.js';

/** A client request on its way to the backend that serves it. */
export interface RoutedRequest {
  readonly backend: string;
  /** The tool, prompt, resource or task as the client named it. */
  readonly target: string;
  /** The same by the backend's own name, URI or id. */
  readonly original: string;
  /** The request with the backend's own names and URIs. */
  readonly request: ClientRequest;
  /** Turns the backend's result into what the caller sees (resource URIs as the caller knows them). */
  finish(result: Result): Result;
  /**
   * For a call of a tool that runs only as a task, made without one: the request was sent as a task,
   * and this gives the `tasks/result` request that waits for the task's result, from its CreateTaskResult.
   */
  followTask?(created: Result): RoutedRequest;
}
