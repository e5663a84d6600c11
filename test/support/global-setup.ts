/**
 * One DynamoDB Local and one private redis-server for the whole run; each test file
 * isolates itself with its own table prefix and notification namespace.
 */
import type { TestProject } from 'vitest/node';
import 'vitest';
import { startDynamoDBLocal } from '../../local/dynamodb-local.js';
import { startRedisServer } from '../../local/redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const [dynamodb, redis] = await Promise.all([startDynamoDBLocal(), startRedisServer()]);
  project.provide('dynamodbEndpoint', dynamodb.endpoint);
  project.provide('redisUrl', redis.url);
  return async () => {
    await Promise.all([dynamodb.stop(), redis.stop()]);
  };
}
