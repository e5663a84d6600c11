/**
 * The real notifier for integration tests: the production publisher and subscriber on the
 * run's redis-server (or on a port nowhere, for "Redis is down"), and an observer that
 * hears what actually went through Redis, so tests assert what was published.
 */
import { freePort } from '../../local/net.js';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import type { Notification } from '../../src/domain/notifications.js';
import type { AnswerLog, NotificationPublisher, NotificationSubscriber } from '../../src/ports/index.js';
import { createRedisAnswerLog } from '../../src/shell/redis/answer-log.js';
import { notificationChannel } from '../../src/shell/redis/channels.js';
import { connectRedis } from '../../src/shell/redis/connection.js';
import { createRedisPublisher } from '../../src/shell/redis/publisher.js';
import { createRedisSubscriber } from '../../src/shell/redis/subscriber.js';
import { silentLog } from './stores.js';

export interface RealNotifier {
  readonly namespace: string;
  readonly publisher: NotificationPublisher;
  readonly subscriber: NotificationSubscriber;
  /** The production answer log, on a commands connection of its own (as the GraphQL function's). */
  readonly answers: AnswerLog;
  /**
   * Everything published on this namespace so far, in publish order. It publishes a marker
   * through the same connection and waits for it: Redis delivers one connection's messages
   * in order, so once the marker is heard nothing published before it is still on its way.
   */
  published(): Promise<Notification[]>;
  close(): Promise<void>;
}

/** The production publisher and subscriber over the run's redis-server, on a fresh namespace. */
export async function realNotifier(url: string = inject('redisUrl')): Promise<RealNotifier> {
  const namespace = `test-${randomUUID()}`;
  const publisherConnection = connectRedis(url, 'test-publisher', silentLog);
  const subscriberConnection = connectRedis(url, 'test-subscriber', silentLog);
  const commandsConnection = connectRedis(url, 'test-commands', silentLog);
  const observer = new Redis(url);
  const heard: Notification[] = [];
  const markersHeard = new Set<string>();
  observer.on('pmessage', (_pattern: string, _channel: string, message: string) => {
    const notification = JSON.parse(message) as Notification;
    if (notification.correlationId.startsWith('marker-')) markersHeard.add(notification.correlationId);
    else heard.push(notification);
  });
  await observer.psubscribe(notificationChannel(namespace, '*'));
  const publisher = createRedisPublisher({ redis: publisherConnection, namespace, timeoutMs: 2000 });
  return {
    namespace,
    publisher,
    subscriber: createRedisSubscriber({ redis: subscriberConnection, namespace, ackTimeoutMs: 2000 }),
    answers: createRedisAnswerLog({ redis: commandsConnection, namespace, recordTimeoutMs: 2000, readTimeoutMs: 2000 }),
    async published() {
      const marker = `marker-${randomUUID()}`;
      await publisher.publish({ type: 'Rejected', correlationId: marker, problems: [] });
      while (!markersHeard.has(marker)) await new Promise((resolve) => setImmediate(resolve));
      return [...heard];
    },
    async close() {
      await Promise.all([
        publisherConnection.quit(),
        subscriberConnection.quit(),
        commandsConnection.quit(),
        observer.quit(),
      ]);
    },
  };
}

/** A publisher whose messages are lost on the way: it takes each one (recorded) and sends nothing. */
export function droppingPublisher(): NotificationPublisher & { readonly dropped: readonly Notification[] } {
  const dropped: Notification[] = [];
  return {
    dropped,
    publish: (notification) => Promise.resolve(void dropped.push(notification)),
  };
}

/** The production publisher and subscriber pointed at a loopback port nobody listens on. */
export async function unreachableNotifier(): Promise<{
  publisher: NotificationPublisher;
  subscriber: NotificationSubscriber;
  answers: AnswerLog;
  close(): void;
}> {
  const url = `redis://127.0.0.1:${await freePort()}`;
  const connections = [
    connectRedis(url, 'test-publisher', silentLog),
    connectRedis(url, 'test-subscriber', silentLog),
    connectRedis(url, 'test-commands', silentLog),
  ];
  return {
    publisher: createRedisPublisher({ redis: connections[0]!, namespace: 'down', timeoutMs: 500 }),
    subscriber: createRedisSubscriber({ redis: connections[1]!, namespace: 'down', ackTimeoutMs: 500 }),
    // The mutation's own deadline for it (GRAPHQL_TIME_BUDGET.answerRecordMs): it must not hold the answer.
    answers: createRedisAnswerLog({
      redis: connections[2]!,
      namespace: 'down',
      recordTimeoutMs: 100,
      readTimeoutMs: 500,
    }),
    close: () => connections.forEach((connection) => connection.disconnect()),
  };
}
