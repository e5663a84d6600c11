import type { Redis } from 'ioredis';
import type { Notification } from '../../domain/notifications.js';
import type { NotificationPublisher } from '../../ports/index.js';
import { withDeadline } from '../runtime/deadline.js';
import { notificationChannel } from './channels.js';

export function createRedisPublisher({ redis, namespace, timeoutMs }: { redis: Redis; namespace: string; timeoutMs: number }): NotificationPublisher {
  return {
    async publish(notification: Notification) {
      await withDeadline(redis.publish(notificationChannel(namespace, notification.correlationId), JSON.stringify(notification)), timeoutMs, 'redis publish');
    },
  };
}
