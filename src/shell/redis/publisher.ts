import type { Notification } from '../../domain/notifications.js';
import type { NotificationPublisher } from '../../ports/index.js';
import { withDeadline } from '../runtime/deadline.js';
import { inProducerSpan, withTrace } from '../telemetry/index.js';
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
      const { correlationId } = notification;
      const channel = notificationChannel(namespace, correlationId);
      // A PRODUCER span whose context travels in the notification: the waiting request links to it.
      await inProducerSpan(
        {
          system: 'redis',
          operation: 'publish',
          destinationName: channel,
          destinationTemplate: notificationChannel(namespace, '{correlationId}'),
          correlationId,
        },
        (carrier) =>
          withDeadline(
            pubsub.publish(channel, JSON.stringify(withTrace(notification, carrier))),
            timeoutMs,
            'redis publish',
          ),
      );
    },
  };
}
