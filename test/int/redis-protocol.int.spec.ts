/**
 * The notifier's connections against both stances a server can take on `HELLO`: one that
 * answers it (a plain redis-server) and one that refuses it with NOPERM (as ACL-restricted
 * ElastiCache nodes have been seen to), each as a single server and as a 3-node cluster.
 * The connections speak RESP2 by choice, so they never send HELLO and work either way.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '../../src/domain/notifications.js';
import { startRedisServer } from '../../local/redis.js';
import { startRedisCluster } from '../../local/redis-cluster.js';
import { connectRedis, type RedisConnection, type RedisMode } from '../../src/shell/redis/connection.js';
import { createRedisPublisher } from '../../src/shell/redis/publisher.js';
import { createRedisSubscriber } from '../../src/shell/redis/subscriber.js';
import { type HelloRefusingProxy, startHelloRefusingProxy } from '../support/hello-refusing-proxy.js';
import { silentLog } from '../support/stores.js';

interface Server {
  /** What the application is given (a front when HELLO is refused). */
  readonly url: string;
  /** Every node, as clients reach it. */
  readonly nodeUrls: readonly string[];
  readonly proxies: readonly HelloRefusingProxy[];
  stop(): Promise<void>;
}

async function startServer(mode: RedisMode, refusesHello: boolean): Promise<Server> {
  const proxies: HelloRefusingProxy[] = [];
  const front = async (port: number) => {
    const proxy = await startHelloRefusingProxy(port);
    proxies.push(proxy);
    return proxy.port;
  };
  const stopProxies = () => Promise.all(proxies.map((proxy) => proxy.stop()));
  if (mode === 'cluster') {
    const cluster = await startRedisCluster(3, refusesHello ? { front } : {});
    return {
      url: cluster.url,
      nodeUrls: cluster.nodeUrls,
      proxies,
      stop: async () => (await stopProxies(), await cluster.stop()),
    };
  }
  const redis = await startRedisServer();
  const url = refusesHello ? `redis://127.0.0.1:${await front(Number(new URL(redis.url).port))}` : redis.url;
  return { url, nodeUrls: [url], proxies, stop: async () => (await stopProxies(), await redis.stop()) };
}

/** A side connection that itself never sends HELLO, so it works through either stance. */
async function onEachNode<T>(server: Server, ask: (node: Redis) => Promise<T>): Promise<T[]> {
  return Promise.all(
    server.nodeUrls.map(async (url) => {
      const node = new Redis(url, { protocol: 2 });
      try {
        return await ask(node);
      } finally {
        node.disconnect();
      }
    }),
  );
}

const rejected = (correlationId: string): Notification => ({ type: 'Rejected', correlationId, problems: [] });

describe.each<{ mode: RedisMode; refusesHello: boolean }>([
  { mode: 'single', refusesHello: true },
  { mode: 'single', refusesHello: false },
  { mode: 'cluster', refusesHello: true },
  { mode: 'cluster', refusesHello: false },
])('Redis connections ($mode, server refuses HELLO: $refusesHello)', ({ mode, refusesHello }) => {
  let server: Server;
  let connections: RedisConnection[];
  beforeAll(async () => {
    server = await startServer(mode, refusesHello);
    // Counting starts now: readiness probes of the helpers may have said HELLO.
    await onEachNode(server, (node) => node.config('RESETSTAT'));
    connections = [
      connectRedis(server.url, 'protocol-subscriber', silentLog, mode),
      connectRedis(server.url, 'protocol-publisher', silentLog, mode),
    ];
  }, 60_000);
  afterAll(async () => {
    await Promise.all((connections ?? []).map((connection) => connection.quit().catch(() => connection.disconnect())));
    await server?.stop();
  });

  it('subscribes with an acknowledgement and receives what is published', async () => {
    const namespace = `protocol-${randomUUID()}`;
    const subscriber = createRedisSubscriber({ redis: connections[0]!, namespace, ackTimeoutMs: 5000 });
    const publisher = createRedisPublisher({ redis: connections[1]!, namespace, timeoutMs: 5000 });
    for (let i = 0; i < 5; i++) {
      const id = randomUUID();
      const subscription = await subscriber.subscribe(id);
      await publisher.publish(rejected(id));
      expect(await subscription.next(Date.now() + 5000)).toEqual(rejected(id));
      await subscription.close();
    }
  });

  it('speaks RESP2 on every connection and never sends HELLO', async () => {
    const clients = (await onEachNode(server, async (node) => String(await node.client('LIST'))))
      .join('\n')
      .split('\n');
    const ours = clients.filter((line) => / name=[^ ]*visitplannr-protocol-/.test(line));
    // The subscriber, the publisher, and in cluster mode each node's connections and the sharded subscriber(s).
    expect(ours.length).toBeGreaterThanOrEqual(2);
    expect(ours.filter((line) => !line.includes(' resp=2'))).toEqual([]);
    if (refusesHello) expect(server.proxies.reduce((sum, proxy) => sum + proxy.refused, 0)).toBe(0);
    else
      expect((await onEachNode(server, (node) => node.info('commandstats'))).join('\n')).not.toMatch(/cmdstat_hello:/);
  });

  // Only a refusing server has this to prove; defined for those cases alone, so nothing shows as skipped.
  if (refusesHello) {
    it("the stance is real: a client that opens with HELLO 3 (ioredis's default) cannot connect", async () => {
      const client = new Redis(server.nodeUrls[0]!, {
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
      });
      client.on('error', () => undefined);
      try {
        await expect(client.connect().then(() => client.ping())).rejects.toThrow(/NOPERM|Connection is closed/);
      } finally {
        client.disconnect();
      }
    });
  }
});
