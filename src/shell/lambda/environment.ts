/**
 * Configuration of the AWS entry points, read once per cold start. Every value comes
 * from the function's environment, set by the CDK app.
 */
import { randomUUID } from 'node:crypto';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { HOMEPAGE_ASSETS } from '../../site/assets.js';
import { createCloudFrontInvalidator } from '../cloudfront/invalidator.js';
import { createDocumentClient, createDynamoDBClient } from '../dynamodb/clients.js';
import { createDynamoDBEventStore } from '../dynamodb/event-store.js';
import { createDynamoDBReadModelStore } from '../dynamodb/read-model-store.js';
import { coalesceAppends } from '../flows/coalesce-appends.js';
import type { FlowDependencies } from '../flows/dependencies.js';
import type { ProjectRecentDependencies } from '../flows/project-recent.js';
import type { InvalidateCdnDependencies } from '../flows/invalidate-cdn.js';
import type { RenderHomepageDependencies } from '../flows/render-homepage.js';
import { connectRedis, parseRedisMode } from '../redis/connection.js';
import { createRedisPublisher } from '../redis/publisher.js';
import { createRedisSubscriber } from '../redis/subscriber.js';
import { createS3SiteBucket } from '../s3/site-bucket.js';
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
  const readModelTableName = required('READ_MODEL_TABLE_NAME');
  return {
    eventStore: coalesceAppends(createDynamoDBEventStore({ client: documents, tableName: required('EVENT_TABLE_NAME'), readModelTableName })),
    readModels: createDynamoDBReadModelStore({ client: documents, tableName: readModelTableName }),
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

/** The recent-list projector needs the read-model table alone. */
export function projectRecentDependencies(): ProjectRecentDependencies {
  return {
    readModels: createDynamoDBReadModelStore({ client: createDocumentClient(createDynamoDBClient()), tableName: required('READ_MODEL_TABLE_NAME') }),
    log: createLogger('visitplannr-project-recent'),
  };
}

/** The renderer needs no Redis and no event table: the read-model table and the site bucket. */
export function renderHomepageDependencies(): RenderHomepageDependencies {
  const documents = createDocumentClient(createDynamoDBClient());
  return {
    readModels: createDynamoDBReadModelStore({ client: documents, tableName: required('READ_MODEL_TABLE_NAME') }),
    site: createS3SiteBucket({ client: new S3Client({}), bucket: required('SITE_BUCKET_NAME') }),
    settings: { apiUrl: required('API_URL'), assets: HOMEPAGE_ASSETS },
    log: createLogger('visitplannr-render-homepage'),
  };
}

export function invalidateCdnDependencies(): InvalidateCdnDependencies {
  return {
    // CloudFront's API is global and answers in us-east-1.
    invalidator: createCloudFrontInvalidator({ client: new CloudFrontClient({ region: 'us-east-1' }) }),
    distributionId: required('DISTRIBUTION_ID'),
    log: createLogger('visitplannr-invalidate-cdn'),
  };
}
