import { ErrorCode, type ClientRequest, type ListTasksResult, type Task } from '@modelcontextprotocol/sdk/types.js';
import { ProxyError } from '../rpcError';
import type { Aggregator } from './aggregator';
import type { CallerView } from './callerView';
import type { Caller, ForwardExtra } from './clientSession';

/** Guards against a backend whose cursors never end. */
const MAX_PAGES = 100;

/**
 * `tasks/list` for one caller: the tasks it created, from every backend it sees that lists tasks, under
 * the ids it holds, in one page (MCP 2025-11-25 Tasks: "ensure the returned task list includes only tasks
 * associated with the requestor's authorization context"). A backend's list holds the tasks of every
 * client of the agent, so each is filtered to this caller's; a backend that fails to answer is left out.
 */
export async function listTasks(hub: Aggregator, view: CallerView, caller: Caller, cursor: string | undefined, extra: ForwardExtra): Promise<ListTasksResult> {
  // The agent hands out no cursor: every task comes in the first page.
  if (cursor !== undefined) throw new ProxyError(ErrorCode.InvalidParams, 'Invalid cursor: tasks/list answers with every task in one page');
  const lists = await Promise.all(
    view.taskLists().map(async ({ backend, routes }) => {
      const tasks: Task[] = [];
      let next: string | undefined;
      try {
        for (let page = 0; page < MAX_PAGES; page++) {
          const request = { method: 'tasks/list', params: next === undefined ? {} : { cursor: next } } as ClientRequest;
          const result = (await hub.forward(caller, backend, request, extra)) as Partial<ListTasksResult>;
          for (const task of result.tasks ?? []) {
            const route = routes.get(task.taskId);
            if (route) tasks.push({ ...task, taskId: route.id });
          }
          next = result.nextCursor;
          if (next === undefined) break;
        }
      } catch (error) {
        hub.logger.debug(`[${backend}] tasks/list failed: ${String(error)}`);
      }
      return tasks;
    }),
  );
  return { tasks: lists.flat() };
}
