/**
 * Configuration of the AWS entry points, read once per cold start. Every value comes
 * from the function's environment, set by the CDK app.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient, createDynamoDBClient } from '../dynamodb/clients.js';
import { createDynamoDBEventStore } from '../dynamodb/event-store.js';
import { createDynamoDBReadModelStore } from '../dynamodb/read-model-store.js';
import type { FlowDependencies } from '../flows/dependencies.js';
import { connectRedis, parseRedisMode } from '../redis/connection.js';
import { createRedisPublisher } from '../redis/publisher.js';
import { createRedisSubscriber } from '../redis/subscriber.js';
import { systemClock } from '../runtime/clock.js';
import { createLogger, type Log } from '../runtime/logger.js';

export class MissingConfigurationError extends Error {
  override readonly name = 'MissingConfigurationError';
  constructor(readonly variable: string) {
    super(`environment variable ${variable} is not set`);
  }
}

export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new MissingConfigurationError(name);
  return value;
}

const namespace = () => process.env['NOTIFY_NAMESPACE'] ?? 'visitplannr';
const redis = (role: string, log: Log) => connectRedis(required('REDIS_URL'), role, log, parseRedisMode(process.env['REDIS_MODE']));

export function stores() {
  const documents = createDocumentClient(createDynamoDBClient());
  return {
    eventStore: createDynamoDBEventStore({ client: documents, tableName: required('EVENT_TABLE_NAME') }),
    readModels: createDynamoDBReadModelStore({ client: documents, tableName: required('READ_MODEL_TABLE_NAME') }),
  };
}

/** Dependencies of a handler that publishes notifications (and so runs in the VPC beside Redis). */
export function flowDependencies(handler: string): FlowDependencies {
  const log = createLogger(`visitplannr-${handler}`);
  const publisher = createRedisPublisher({ redis: redis(`${handler}-publisher`, log), namespace: namespace(), timeoutMs: 1000 });
  return { ...stores(), publisher, clock: systemClock, log };
}

export function graphqlContext() {
  const log = createLogger('visitplannr-graphql');
  return {
    ...stores(),
    notifications: createRedisSubscriber({ redis: redis('graphql-subscriber', log), namespace: namespace(), ackTimeoutMs: 1000 }),
    clock: systemClock,
    newId: randomUUID,
    mutationDeadlineMs: Number(process.env['MUTATION_DEADLINE_MS'] ?? 5000),
    outcomePollIntervalMs: 200,
    log,
  };
}

export const eventBridge = () => new EventBridgeClient({});
