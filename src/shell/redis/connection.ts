import { Cluster, Redis } from 'ioredis';
import { VisitplannrError } from '../../errors/index.js';
import type { Log } from '../runtime/logger.js';

/**
 * `single`: one Redis (or a primary with replicas behind one endpoint).
 * `cluster`: a Redis/Valkey cluster such as ElastiCache Serverless, which runs in cluster mode only;
 * notifications then travel over sharded pub/sub (SSUBSCRIBE/SPUBLISH), see pubsub.ts.
 */
export type RedisMode = 'single' | 'cluster';

export type RedisConnection = Redis | Cluster;

export class InvalidRedisModeError extends VisitplannrError {
  override readonly name = 'InvalidRedisModeError';
  readonly code = 'INVALID_REDIS_MODE';
  constructor(readonly value: string) {
    super(`REDIS_MODE must be "single" or "cluster", not "${value}"`);
  }
}

export function parseRedisMode(value: string | undefined): RedisMode {
  if (value === undefined || value === '' || value === 'single') return 'single';
  if (value === 'cluster') return 'cluster';
  throw new InvalidRedisModeError(value);
}

const reconnectDelay = (attempt: number) => Math.min(50 * 2 ** attempt, 2000);

/**
 * RESP2, chosen rather than negotiated. ioredis 6 defaults to RESP3 and opens every connection
 * with `HELLO 3`, falling back to RESP2 only on NOPROTO or "unknown command"; a server whose ACL
 * answers HELLO with NOPERM (as ACL-restricted ElastiCache nodes have been seen to) would then
 * fail every connection. With 2 the client never sends HELLO, so its stance on HELLO cannot
 * matter. Nothing here needs RESP3: pub/sub runs on dedicated connections, and replies are
 * strings either way.
 */
const PROTOCOL = 2;

/**
 * A long-lived connection that reconnects by itself (with capped backoff) and
 * re-subscribes its channels; errors are logged instead of crashing the process.
 * In cluster mode the URL names any node (ElastiCache Serverless: its endpoint); the
 * client discovers the rest, and `rediss:` turns on TLS for every node.
 */
export function connectRedis(
  url: string,
  role: string,
  log: Log,
  mode: RedisMode = 'single',
  { subscriber = false }: { subscriber?: boolean } = {},
): RedisConnection {
  const connectionName = `visitplannr-${role}`;
  // Fail a command while disconnected instead of queueing it forever; callers have deadlines anyway.
  const maxRetriesPerRequest = 2;
  const redis =
    mode === 'single'
      ? new Redis(url, { connectionName, retryStrategy: reconnectDelay, maxRetriesPerRequest, protocol: PROTOCOL })
      : connectCluster(url, connectionName, maxRetriesPerRequest, subscriber);
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastLogged < 5000) return; // a down server errors on every retry
    lastLogged = Date.now();
    log.warn('redis connection error; reconnecting', { role, mode, error: error.message });
  });
  return redis;
}

/**
 * Resolves once `connection` is ready (a cluster: its slots known) or has failed once, or
 * after `timeoutMs`; never rejects. A cold start waits on it during init, so the first
 * request does not pay for the connection, and a cache that is away does not hold init:
 * the resolver then answers from the durable outcome.
 */
export function whenReady(connection: RedisConnection, timeoutMs: number): Promise<'ready' | 'failed' | 'timeout'> {
  if (connection.status === 'ready') return Promise.resolve('ready');
  return new Promise((resolve) => {
    const settle = (outcome: 'ready' | 'failed' | 'timeout') => {
      clearTimeout(timer);
      connection.off('ready', onReady);
      connection.off('error', onError);
      resolve(outcome);
    };
    const onReady = () => settle('ready');
    const onError = () => settle('failed');
    const timer = setTimeout(() => settle('timeout'), timeoutMs);
    connection.once('ready', onReady);
    connection.once('error', onError);
  });
}

function connectCluster(
  url: string,
  connectionName: string,
  maxRetriesPerRequest: number,
  subscriber: boolean,
): Cluster {
  const endpoint = new URL(url);
  const tls = endpoint.protocol === 'rediss:';
  return new Cluster([{ host: endpoint.hostname, port: Number(endpoint.port || 6379) }], {
    // One subscriber connection per shard, so SSUBSCRIBE reaches the shard that owns the channel's slot.
    shardedSubscribers: true,
    clusterRetryStrategy: reconnectDelay,
    // With TLS the certificate names the configuration endpoint, not each node's IP: keep the host name.
    ...(tls
      ? { dnsLookup: (address: string, callback: (error: null, address: string) => void) => callback(null, address) }
      : {}),
    // Node, subscriber and sharded-subscriber connections all take their options from here.
    redisOptions: {
      connectionName,
      maxRetriesPerRequest,
      protocol: PROTOCOL,
      // A subscriber opens each shard's subscriber connection as soon as the slots are known,
      // not at the first SSUBSCRIBE to that shard: a cold start pays for it during init, not
      // inside a mutation's acknowledgement deadline. (Node connections then open eagerly too.)
      ...(subscriber ? { lazyConnect: false } : {}),
      ...(endpoint.username ? { username: decodeURIComponent(endpoint.username) } : {}),
      ...(endpoint.password ? { password: decodeURIComponent(endpoint.password) } : {}),
      ...(tls ? { tls: {} } : {}),
    },
  });
}
