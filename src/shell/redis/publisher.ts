import type { Notification } from '../../domain/notifications.js';
import type { NotificationPublisher } from '../../ports/index.js';
import { withDeadline } from '../runtime/deadline.js';
import { notificationChannel } from './channels.js';
import type { RedisConnection } from './connection.js';
import { pubSubOver } from './pubsub.js';

export function createRedisPublisher({
  redis,
  namespace,
  timeoutMs,
}: {
  redis: RedisConnection;
  namespace: string;
  timeoutMs: number;
}): NotificationPublisher {
  const pubsub = pubSubOver(redis);
  return {
    async publish(notification: Notification) {
      await withDeadline(
        pubsub.publish(notificationChannel(namespace, notification.correlationId), JSON.stringify(notification)),
        timeoutMs,
        'redis publish',
      );
    },
  };
}
