import type { Notification } from '../../domain/notifications.js';
import type { RunnerDependencies } from './dependencies.js';

/**
 * Notifications only speed answers up; when Redis is unreachable the state is already
 * durable and the waiting mutation answers from it at its deadline. So a failed publish
 * is logged, not retried into a redelivery storm.
 */
export async function notify(deps: RunnerDependencies, notification: Notification): Promise<void> {
  const context = { correlationId: notification.correlationId, notification: notification.type };
  if (!deps.publisher) {
    deps.log.warn('no publisher for this handler; the notification is dropped', context);
    return;
  }
  try {
    await deps.publisher.publish(notification);
    deps.log.debug('notified', context);
  } catch (error) {
    deps.log.error('notification not delivered; waiting callers will read the durable outcome', { ...context, error });
  }
}
