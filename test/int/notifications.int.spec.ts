import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { Notification } from '../../src/domain/notifications.js';
import { notificationChannel } from '../../src/shell/redis/channels.js';
import { createRedisPublisher } from '../../src/shell/redis/publisher.js';
import { createRedisSubscriber } from '../../src/shell/redis/subscriber.js';

describe('Redis notifications (real redis-server)', () => {
  const url = inject('redisUrl');
  const namespace = `test-${randomUUID()}`;
  const subscriberConnection = new Redis(url);
  const publisherConnection = new Redis(url);
  const observer = new Redis(url);
  const subscriber = createRedisSubscriber({ redis: subscriberConnection, namespace, ackTimeoutMs: 1000 });
  const publisher = createRedisPublisher({ redis: publisherConnection, namespace, timeoutMs: 1000 });
  afterAll(() => Promise.all([subscriberConnection.quit(), publisherConnection.quit(), observer.quit()]));

  const rejected = (correlationId: string): Notification => ({ type: 'Rejected', correlationId, problems: [] });
  const subscribers = async (correlationId: string) =>
    ((await observer.pubsub('NUMSUB', notificationChannel(namespace, correlationId))) as [string, number])[1];

  it('is subscribed at the broker once subscribe() resolves, so an immediate publish is received', async () => {
    for (let i = 0; i < 50; i++) {
      const id = randomUUID();
      const subscription = await subscriber.subscribe(id);
      await publisher.publish(rejected(id));
      expect(await subscription.next(Date.now() + 1000)).toEqual(rejected(id));
      await subscription.close();
    }
  });

  it('multiplexes waiters on one connection and unsubscribes when the last one leaves', async () => {
    const id = randomUUID();
    const first = await subscriber.subscribe(id);
    const second = await subscriber.subscribe(id);
    expect(await subscribers(id)).toBe(1);
    await publisher.publish(rejected(id));
    expect(await first.next(Date.now() + 1000)).toEqual(rejected(id));
    expect(await second.next(Date.now() + 1000)).toEqual(rejected(id));
    await first.close();
    expect(await subscribers(id)).toBe(1);
    await second.close();
    expect(await subscribers(id)).toBe(0);
  });

  it('keeps channels apart and answers null at the deadline', async () => {
    const mine = randomUUID();
    const subscription = await subscriber.subscribe(mine);
    await publisher.publish(rejected(randomUUID()));
    const started = Date.now();
    expect(await subscription.next(Date.now() + 150)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await subscription.close();
  });

  it('fails subscribe within its acknowledgement deadline when Redis does not answer', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
    dead.on('error', () => undefined);
    const unreachable = createRedisSubscriber({ redis: dead, namespace, ackTimeoutMs: 200 });
    await expect(unreachable.subscribe(randomUUID())).rejects.toThrow(/did not finish within 200 ms/);
    dead.disconnect();
  });
});
