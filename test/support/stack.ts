import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
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

/**
 * One stack for the file: started before its tests, stopped after them. The returned object
 * stands for the stack once it runs (reading it earlier is a mistake in the test, and throws).
 */
export function useTestStack(
  overrides: LocalStackOptions | (() => LocalStackOptions | Promise<LocalStackOptions>) = {},
): LocalStack {
  let stack: LocalStack | undefined;
  beforeAll(async () => {
    stack = await startTestStack(typeof overrides === 'function' ? await overrides() : overrides);
  });
  afterAll(async () => {
    await stack?.stop();
  });
  return new Proxy({} as LocalStack, {
    get(_target, property) {
      if (!stack) throw new Error(`the test stack is not running (read of ${String(property)})`);
      const value = Reflect.get(stack, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(stack) : value;
    },
  });
}
