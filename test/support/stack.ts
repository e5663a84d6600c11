import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../src/shell/local/stack.js';

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
