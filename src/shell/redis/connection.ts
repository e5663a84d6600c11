import { Redis } from 'ioredis';
import type { Log } from '../runtime/logger.js';

/**
 * A long-lived connection that reconnects by itself (with capped backoff) and
 * re-subscribes its channels; errors are logged instead of crashing the process.
 */
export function connectRedis(url: string, role: string, log: Log): Redis {
  const redis = new Redis(url, {
    connectionName: `visitplannr-${role}`,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    // Fail a command while disconnected instead of queueing it forever; callers have deadlines anyway.
    maxRetriesPerRequest: 2,
  });
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastLogged < 5000) return; // a down server errors on every retry
    lastLogged = Date.now();
    log.warn('redis connection error; reconnecting', { role, error: error.message });
  });
  return redis;
}
