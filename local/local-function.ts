/**
 * Runs a Lambda handler in-process the way the platform would call it, with a
 * concurrency limit, and a pause control (invocations wait, like a throttled function)
 * for tests and drills.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { withDeadline } from '../src/shell/runtime/deadline.js';

export interface LocalFunction<E, R> {
  pause(): void;
  resume(): void;
  readonly invocations: number;
  /** Calls of `invoke` that have not returned yet, those held by a pause included. */
  readonly active: number;
  readonly paused: boolean;
  readonly name: string;
  invoke(event: E): Promise<R>;
}

export function localFunction<E, R>(
  name: string,
  handler: (event: E, context: Context) => Promise<R>,
  { concurrency = 8, timeoutMs = 30_000 } = {},
): LocalFunction<E, R> {
  let paused: { promise: Promise<void>; release: () => void } | null = null;
  let inFlight = 0;
  let invocations = 0;
  let active = 0;
  const waiting: (() => void)[] = [];

  const acquire = async (): Promise<void> => {
    if (inFlight < concurrency) {
      inFlight++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };

  const context = (): Context => {
    const deadline = Date.now() + timeoutMs;
    return {
      callbackWaitsForEmptyEventLoop: false,
      functionName: name,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
      memoryLimitInMB: '512',
      awsRequestId: randomUUID(),
      logGroupName: `/aws/lambda/${name}`,
      logStreamName: 'local',
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: () => undefined,
      fail: () => undefined,
      succeed: () => undefined,
    };
  };

  return {
    name,
    get invocations() {
      return invocations;
    },
    get active() {
      return active;
    },
    get paused() {
      return paused !== null;
    },
    pause() {
      if (paused) return;
      let releasePause = (): void => undefined;
      const promise = new Promise<void>((resolve) => (releasePause = resolve));
      paused = { promise, release: releasePause };
    },
    resume() {
      paused?.release();
      paused = null;
    },
    async invoke(event) {
      active++;
      try {
        while (paused) await paused.promise;
        await acquire();
        try {
          invocations++;
          // Like Lambda, an invocation that outlives its timeout fails (and goes to the retry path).
          return await withDeadline(handler(event, context()), timeoutMs, `${name} invocation`);
        } finally {
          release();
        }
      } finally {
        active--;
      }
    },
  };
}
