import type { EventStore, NotificationPublisher, ReadModelStore } from '../../ports/index.js';
import type { Notification } from '../../domain/notifications.js';
import type { Log } from '../runtime/logger.js';

/** What the handler flows need; each composition root supplies real adapters. */
export interface FlowDependencies {
  readonly eventStore: EventStore;
  readonly readModels: ReadModelStore;
  readonly publisher: NotificationPublisher;
  /** ISO-8601 now. */
  readonly clock: () => string;
  readonly log: Log;
}

/**
 * Notifications only speed answers up; when Redis is unreachable the state is already
 * durable and the waiting mutation answers from it at its deadline. So a failed publish
 * is logged, not retried into a redelivery storm.
 */
export async function notify(deps: FlowDependencies, notification: Notification): Promise<void> {
  try {
    await deps.publisher.publish(notification);
    deps.log.debug('notified', { correlationId: notification.correlationId, notification: notification.type });
  } catch (error) {
    deps.log.error('notification not delivered; waiting callers will read the durable outcome', {
      correlationId: notification.correlationId,
      notification: notification.type,
      error,
    });
  }
}
