/**
 * The notifier against both shapes of Redis it meets: a single redis-server (local stack)
 * and a 3-node Redis cluster on loopback ports, the twin of ElastiCache Serverless, where
 * notifications travel over sharded pub/sub (SSUBSCRIBE/SPUBLISH).
 */
import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Notification } from '../../src/domain/notifications.js';
import { notificationChannel } from '../../src/shell/redis/channels.js';
import { connectRedis, type RedisConnection, type RedisMode } from '../../src/shell/redis/connection.js';
import { createRedisPublisher } from '../../src/shell/redis/publisher.js';
import { createRedisSubscriber } from '../../src/shell/redis/subscriber.js';
import { type RunningRedisCluster, startRedisCluster } from '../../local/redis-cluster.js';
import { primaryPortOf } from '../support/cluster-slots.js';
import { silentLog } from '../support/stores.js';

let cluster: RunningRedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster(3);
}, 60_000);
afterAll(() => cluster?.stop());

const rejected = (correlationId: string): Notification => ({ type: 'Rejected', correlationId, problems: [] });

describe.each<{ mode: RedisMode; url: () => string }>([
  { mode: 'single', url: () => inject('redisUrl') },
  { mode: 'cluster', url: () => cluster.url },
])('Redis notifications ($mode, real redis-server)', ({ mode, url }) => {
  const namespace = `test-${randomUUID()}`;
  let connections: RedisConnection[] = [];
  let subscriber: ReturnType<typeof createRedisSubscriber>;
  let publisher: ReturnType<typeof createRedisPublisher>;
  beforeAll(() => {
    connections = [
      connectRedis(url(), 'test-subscriber', silentLog, mode),
      connectRedis(url(), 'test-publisher', silentLog, mode),
    ];
    subscriber = createRedisSubscriber({ redis: connections[0]!, namespace, ackTimeoutMs: 2000 });
    publisher = createRedisPublisher({ redis: connections[1]!, namespace, timeoutMs: 2000 });
  });
  afterAll(() => Promise.all(connections.map((connection) => connection.quit())));

  /** Subscribers of a channel as the broker counts them: the owning shard's count on a cluster. */
  const subscribers = async (correlationId: string): Promise<number> => {
    const channel = notificationChannel(namespace, correlationId);
    if (mode === 'single') {
      const observer = new Redis(url());
      try {
        return ((await observer.pubsub('NUMSUB', channel)) as [string, number])[1];
      } finally {
        observer.disconnect();
      }
    }
    const counts = await Promise.all(
      cluster.nodeUrls.map(async (nodeUrl) => {
        const node = new Redis(nodeUrl);
        try {
          return ((await node.call('PUBSUB', 'SHARDNUMSUB', channel)) as [string, number])[1];
        } finally {
          node.disconnect();
        }
      }),
    );
    return counts.reduce((sum, count) => sum + count, 0);
  };

  it('is subscribed at the broker once subscribe() resolves, so an immediate publish is received', async () => {
    for (let i = 0; i < 50; i++) {
      const id = randomUUID();
      const subscription = await subscriber.subscribe(id);
      await publisher.publish(rejected(id));
      expect(await subscription.next(Date.now() + 5000)).toEqual(rejected(id));
      await subscription.close();
    }
  });

  it('multiplexes waiters on one connection and unsubscribes when the last one leaves', async () => {
    const id = randomUUID();
    const first = await subscriber.subscribe(id);
    const second = await subscriber.subscribe(id);
    expect(await subscribers(id)).toBe(1);
    await publisher.publish(rejected(id));
    expect(await first.next(Date.now() + 5000)).toEqual(rejected(id));
    expect(await second.next(Date.now() + 5000)).toEqual(rejected(id));
    await first.close();
    expect(await subscribers(id)).toBe(1);
    await second.close();
    expect(await subscribers(id)).toBe(0);
  });

  /**
   * Another correlation id whose channel travels with `mine`'s (in a cluster: on the same shard), so their messages
   * keep their order.
   */
  const besides = async (mine: string): Promise<string> => {
    if (mode === 'single') return randomUUID();
    const admin = new Redis(url());
    try {
      const shard = await primaryPortOf(admin, notificationChannel(namespace, mine));
      for (;;) {
        const other = randomUUID();
        if ((await primaryPortOf(admin, notificationChannel(namespace, other))) === shard) return other;
      }
    } finally {
      admin.disconnect();
    }
  };

  it('keeps channels apart and answers null at the deadline', async () => {
    const mine = randomUUID();
    const subscription = await subscriber.subscribe(mine);
    // Another channel's message first, then ours, from one connection: Redis delivers them in
    // that order, so a misrouted message would be the first one this subscription sees.
    await publisher.publish(rejected(await besides(mine)));
    await publisher.publish(rejected(mine));
    expect(await subscription.next(Date.now() + 5000)).toEqual(rejected(mine));
    expect(await subscription.next(Date.now() + 150)).toBeNull();
    await subscription.close();
  });
});

describe('Redis cluster (3 nodes on loopback)', () => {
  it('spreads notification channels over every shard, and each one still arrives', async () => {
    const namespace = `test-${randomUUID()}`;
    const subscriberConnection = connectRedis(cluster.url, 'test-subscriber', silentLog, 'cluster');
    const publisherConnection = connectRedis(cluster.url, 'test-publisher', silentLog, 'cluster');
    const subscriber = createRedisSubscriber({ redis: subscriberConnection, namespace, ackTimeoutMs: 2000 });
    const publisher = createRedisPublisher({ redis: publisherConnection, namespace, timeoutMs: 2000 });
    const ids = Array.from({ length: 30 }, () => randomUUID());
    const subscriptions = await Promise.all(ids.map((id) => subscriber.subscribe(id)));
    await Promise.all(ids.map((id) => publisher.publish(rejected(id))));
    const received = await Promise.all(subscriptions.map((subscription) => subscription.next(Date.now() + 2000)));
    expect(received).toEqual(ids.map(rejected));

    // Each channel is subscribed on the primary that owns its slot, and all three own some:
    // sharded pub/sub, not one node relaying every message over the cluster bus.
    const nodesHoldingChannels = await Promise.all(
      cluster.nodeUrls.map(async (nodeUrl) => {
        const node = new Redis(nodeUrl);
        try {
          return ((await node.call('PUBSUB', 'SHARDCHANNELS', `${namespace}:*`)) as string[]).length;
        } finally {
          node.disconnect();
        }
      }),
    );
    expect(nodesHoldingChannels.every((count) => count > 0)).toBe(true);
    expect(nodesHoldingChannels.reduce((sum, count) => sum + count, 0)).toBe(ids.length);
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await Promise.all([subscriberConnection.quit(), publisherConnection.quit()]);
  });

  it('fails subscribe within its acknowledgement deadline when no node answers', async () => {
    const dead = new Cluster([{ host: '127.0.0.1', port: 1 }], {
      shardedSubscribers: true,
      clusterRetryStrategy: () => 50,
      lazyConnect: true,
    });
    dead.on('error', () => undefined);
    const unreachable = createRedisSubscriber({ redis: dead, namespace: 'dead', ackTimeoutMs: 200 });
    await expect(unreachable.subscribe(randomUUID())).rejects.toThrow(/did not finish within 200 ms/);
    dead.disconnect();
  });
});

describe('Redis single server', () => {
  it('fails subscribe within its acknowledgement deadline when Redis does not answer', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      retryStrategy: () => 50,
      maxRetriesPerRequest: null,
    });
    dead.on('error', () => undefined);
    const unreachable = createRedisSubscriber({ redis: dead, namespace: 'dead', ackTimeoutMs: 200 });
    await expect(unreachable.subscribe(randomUUID())).rejects.toThrow(/did not finish within 200 ms/);
    dead.disconnect();
  });
});
