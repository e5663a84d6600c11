/**
 * Asynchronous invocation as AWS does it for EventBridge and S3 notifications: the
 * caller does not wait; a failed invocation is retried with backoff, then dead-lettered.
 */
import { sleep } from '../src/shell/runtime/deadline.js';
import { describeError, type Log } from '../src/shell/runtime/logger.js';
import type { DeadLetterStore } from './dead-letters.js';
import type { RetryPolicy } from './event-source-mapping.js';
import type { LocalFunction } from './local-function.js';

export interface AsyncInvoker {
  /** Starts the delivery and returns at once; `source` names the trigger in logs (a rule, a bucket). */
  invoke<E>(fn: LocalFunction<E, unknown>, event: E, source: string): void;
  /** Resolves when every delivery started so far has finished (or been dead-lettered). */
  idle(): Promise<void>;
  /** Deliveries under way (retries and backoffs included), counted by the function they go to. */
  inFlight(): ReadonlyMap<string, number>;
}

export function createAsyncInvoker(options: {
  retry: RetryPolicy;
  deadLetters: DeadLetterStore;
  log: Log;
}): AsyncInvoker {
  const deliveries = new Set<Promise<void>>();
  const byFunction = new Map<string, number>();

  const deliver = async <E>(fn: LocalFunction<E, unknown>, event: E, source: string): Promise<void> => {
    let lastError = '';
    for (let attempt = 1; attempt <= options.retry.maxAttempts; attempt++) {
      if (attempt > 1) await sleep(options.retry.baseDelayMs * 2 ** (attempt - 2));
      try {
        await fn.invoke(event);
        return;
      } catch (error) {
        lastError = describeError(error);
        options.log.warn('asynchronous delivery failed', { source, function: fn.name, attempt, error: lastError });
      }
    }
    options.deadLetters.add({
      handler: fn.name,
      attempts: options.retry.maxAttempts,
      error: lastError,
      payload: event,
    });
    options.log.error('event dead-lettered', { source, function: fn.name });
  };

  return {
    invoke(fn, event, source) {
      byFunction.set(fn.name, (byFunction.get(fn.name) ?? 0) + 1);
      const delivery = deliver(fn, event, source).finally(() => {
        deliveries.delete(delivery);
        const left = (byFunction.get(fn.name) ?? 1) - 1;
        if (left === 0) byFunction.delete(fn.name);
        else byFunction.set(fn.name, left);
      });
      deliveries.add(delivery);
    },
    inFlight: () => byFunction,
    async idle() {
      while (deliveries.size > 0) await Promise.allSettled([...deliveries]);
    },
  };
}
