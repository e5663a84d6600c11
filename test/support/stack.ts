import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';

/** A local stack on the run's DynamoDB Local and Redis, isolated by its own tables and channel namespace. */
export function startTestStack(overrides: LocalStackOptions = {}): Promise<LocalStack> {
  const id = randomUUID().slice(0, 8);
  return startLocalStack({
    port: 0,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    redisUrl: inject('redisUrl'),
    tablePrefix: `s${id}-`,
    namespace: `test-${id}`,
    logLevel: 'SILENT',
    ...overrides,
  });
}

type Overrides<T> = T | (() => T | Promise<T>);

/** Stands for a stack once it runs: reading it earlier is a mistake in the test, and throws. */
function standIn(get: () => LocalStack | undefined): LocalStack {
  return new Proxy({} as LocalStack, {
    get(_target, property) {
      const stack = get();
      if (!stack) throw new Error(`the test stack is not running (read of ${String(property)})`);
      const value = Reflect.get(stack, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(stack) : value;
    },
  });
}

/**
 * One stack for the file: started before its tests, stopped after them. The returned object
 * stands for the stack once it runs (reading it earlier is a mistake in the test, and throws).
 */
export function useTestStack(overrides: Overrides<LocalStackOptions> = {}): LocalStack {
  return useTestStacks(overrides)[0];
}

/**
 * Several stacks for the file, started side by side before its tests and all stopped after
 * them, also when one failed to start (the others are not left running). Each one's options
 * may come from a function, for what an earlier hook makes (a key set's URL, say).
 */
export function useTestStacks<const T extends readonly Overrides<LocalStackOptions>[]>(
  ...overrides: T
): { readonly [K in keyof T]: LocalStack } {
  const stacks: (LocalStack | undefined)[] = [];
  beforeAll(async () => {
    const started = await Promise.allSettled(
      overrides.map(async (each, i) => {
        stacks[i] = await startTestStack(typeof each === 'function' ? await each() : each);
      }),
    );
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
  });
  // A test that fails half-way may leave a function paused or a fault armed: the next test starts clean.
  afterEach(() => {
    for (const stack of stacks) stack?.resetControls();
  });
  afterAll(async () => {
    await Promise.all(stacks.map((stack) => stack?.stop() ?? Promise.resolve()));
  });
  return overrides.map((_, i) => standIn(() => stacks[i])) as unknown as { readonly [K in keyof T]: LocalStack };
}
