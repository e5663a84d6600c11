/**
 * Redis for the local stack: the one at REDIS_URL if it answers; otherwise, when
 * `redis-server` is on PATH, a private one on a free port.
 */
import { spawn, spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import { VisitplannrError } from '../src/errors/index.js';
import { freePort } from './net.js';
import { stopChild, waitUntil } from './child-process.js';

export interface RunningRedis {
  readonly url: string;
  /** True when this process started the server (and stops it). */
  readonly started: boolean;
  stop(): Promise<void>;
}

export class RedisUnavailableError extends VisitplannrError {
  override readonly name = 'RedisUnavailableError';
  readonly code = 'REDIS_UNAVAILABLE';
  constructor(readonly url: string) {
    super(
      `Nothing answers at ${url} and redis-server is not on PATH. Start Redis (apt-get install redis-server) or set REDIS_URL.`,
    );
  }
}

export async function ping(url: string, timeoutMs = 1000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** A private redis-server (persistence off) on `port`, or on a free port. */
export async function startRedisServer({ port: chosen }: { port?: number } = {}): Promise<RunningRedis> {
  const port = chosen ?? (await freePort());
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}`;
  await waitUntil(
    async () => {
      if (!(await ping(url, 200))) throw new Error('no PONG yet');
    },
    10_000,
    'redis-server',
  );
  return { url, started: true, stop: () => stopChild(child) };
}

export async function ensureRedis(url: string): Promise<RunningRedis> {
  if (await ping(url)) return { url, started: false, stop: () => Promise.resolve() };
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new RedisUnavailableError(url);
  return startRedisServer();
}
