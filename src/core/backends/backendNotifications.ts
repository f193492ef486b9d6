import {
  LoggingMessageNotificationSchema,
  ProgressNotificationSchema,
  ResourceUpdatedNotificationSchema,
  TaskStatusNotificationSchema,
  type JSONRPCNotification,
  type ServerNotification,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logger';
import type { ListKind } from './backendClient';
import type { NotificationSink, RequestListener } from './routingTransport';

/** Where a backend's notifications go, besides the request they belong to. */
export interface NotificationTargets {
  readonly name: string;
  readonly logger: Logger;
  /** The backend announced that a list changed. */
  refresh(kind: ListKind): void;
  /** A log message that names no request, a resource update or a task's status: for every session it concerns. */
  broadcast(notification: ServerNotification): void;
}

/** The notifications whose shape the SDK defines and the agent relies on. */
const SCHEMAS: Readonly<Record<string, { safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: Error } }>> = {
  'notifications/progress': ProgressNotificationSchema,
  'notifications/message': LoggingMessageNotificationSchema,
  'notifications/resources/updated': ResourceUpdatedNotificationSchema,
  'notifications/tasks/status': TaskStatusNotificationSchema,
};

const LIST_CHANGES: Readonly<Record<string, ListKind>> = {
  'notifications/tools/list_changed': 'tools',
  'notifications/resources/list_changed': 'resources',
  'notifications/prompts/list_changed': 'prompts',
};

/**
 * Decides, for each notification a backend sends, where it goes ({@link NotificationSink}): list changes
 * refresh the backend's lists; what belongs to a request goes to that request's caller; a log message,
 * resource update or task status that names no request goes to every session it concerns (a task's
 * status to the client that created the task, whichever request it came on); cancellation stays with the
 * SDK Client, which ends the backend's request to us that it names.
 */
export function notificationSink(targets: NotificationTargets): NotificationSink {
  return (notification, related) => {
    const list = LIST_CHANGES[notification.method];
    if (list) {
      targets.refresh(list);
      return true;
    }
    switch (notification.method) {
      case 'notifications/cancelled':
        return false;
      case 'notifications/message':
        if (related) related(notification);
        else broadcastChecked(targets, notification);
        return true;
      case 'notifications/resources/updated':
      case 'notifications/tasks/status':
        broadcastChecked(targets, notification);
        return true;
      default:
        // Anything else a backend says about a request goes to the request's caller as it is.
        related?.(notification);
        return related !== undefined;
    }
  };
}

/**
 * A request's listener that passes on what is well formed where the SDK defines the shape (progress,
 * logging), and anything else as it is; a malformed one is logged and dropped.
 */
export function checkedListener(targets: Pick<NotificationTargets, 'name' | 'logger'>, listener: (notification: ServerNotification) => void): RequestListener {
  return (notification) => {
    const checked = check(targets, notification);
    if (checked) listener(checked);
  };
}

function broadcastChecked(targets: NotificationTargets, notification: JSONRPCNotification): void {
  const checked = check(targets, notification);
  if (checked) targets.broadcast(checked);
}

function check(targets: Pick<NotificationTargets, 'name' | 'logger'>, notification: JSONRPCNotification): ServerNotification | undefined {
  const schema = SCHEMAS[notification.method];
  if (!schema) return notification as ServerNotification;
  const parsed = schema.safeParse(notification);
  if (parsed.success) return parsed.data as ServerNotification;
  targets.logger.debug(`[${targets.name}] ignored a malformed ${notification.method}: ${parsed.error.message}`);
  return undefined;
}
