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
import { applyRequestBudget, budgetedClientConfig } from '../dynamodb/request-budget.js';
import { coalesceAppends } from '../flows/coalesce-appends.js';
import type { FlowDependencies } from '../flows/dependencies.js';
import type { ProjectRecentDependencies } from '../flows/project-recent.js';
import type { InvalidateCdnDependencies } from '../flows/invalidate-cdn.js';
import type { RenderHomepageDependencies } from '../flows/render-homepage.js';
import { GRAPHQL_TIME_BUDGET, withMutationDeadline } from '../functions/graphql-time-budget.js';
import { connectRedis, parseRedisMode, whenReady } from '../redis/connection.js';
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
const redis = (role: string, log: Log, options: { subscriber?: boolean } = {}) =>
  connectRedis(required('REDIS_URL'), role, log, parseRedisMode(process.env['REDIS_MODE']), options);

export function stores(client = createDynamoDBClient()) {
  const documents = createDocumentClient(client);
  const readModelTableName = required('READ_MODEL_TABLE_NAME');
  return {
    eventStore: coalesceAppends(
      createDynamoDBEventStore({ client: documents, tableName: required('EVENT_TABLE_NAME'), readModelTableName }),
    ),
    readModels: createDynamoDBReadModelStore({ client: documents, tableName: readModelTableName }),
  };
}

/** Dependencies of a handler that publishes notifications (and so runs in the VPC beside Redis). */
export function flowDependencies(handler: string): FlowDependencies {
  const log = createLogger(`visitplannr-${handler}`);
  const publisher = createRedisPublisher({
    redis: redis(`${handler}-publisher`, log),
    namespace: namespace(),
    timeoutMs: 1000,
  });
  return { ...stores(), publisher, clock: systemClock, log };
}

/** How long a cold start waits, during init, for the cache connection before it serves anyway. */
const CACHE_CONNECT_AT_INIT_MS = 3000;

/**
 * The GraphQL function's dependencies, and `connected`: the cache connection, opened now
 * (during init) and awaited by the entry point, so the first mutation's SUBSCRIBE finds it
 * open. The first acknowledgement is logged with its time: the cold-start figure the first
 * subscribe's deadline is chosen from.
 */
export function graphqlContext() {
  const initStarted = Date.now();
  const log = createLogger('visitplannr-graphql');
  const budget = withMutationDeadline(
    Number(process.env['MUTATION_DEADLINE_MS'] ?? GRAPHQL_TIME_BUDGET.mutationDeadlineMs),
  );
  const dynamodb = createDynamoDBClient(budgetedClientConfig(budget.dynamodb));
  applyRequestBudget(dynamodb);
  const connection = redis('graphql-subscriber', log, { subscriber: true });
  // Commands (the proposal budget's script) cannot share the subscriber connection.
  const commands = redis('graphql-commands', log);
  const connected = whenReady(connection, CACHE_CONNECT_AT_INIT_MS).then((outcome) => {
    log.info('cache connection at init', { outcome, elapsedMs: Date.now() - initStarted });
  });
  const notifications = createRedisSubscriber({
    redis: connection,
    namespace: namespace(),
    ackTimeoutMs: budget.subscribeAckMs,
    firstAckTimeoutMs: budget.firstSubscribeAckMs,
    onFirstAck: (ackMs) => log.info('first subscribe acknowledged', { ackMs, sinceInitMs: Date.now() - initStarted }),
  });
  return {
    connected,
    commands,
    namespace: namespace(),
    context: {
      ...stores(dynamodb),
      notifications,
      clock: systemClock,
      newId: randomUUID,
      mutationDeadlineMs: budget.mutationDeadlineMs,
      outcomePollIntervalMs: 200,
      log,
    },
    answerMarginMs: budget.marginMs,
  };
}

export const eventBridge = () => new EventBridgeClient({});

/** The recent-list projector needs the read-model table alone. */
export function projectRecentDependencies(): ProjectRecentDependencies {
  return {
    readModels: createDynamoDBReadModelStore({
      client: createDocumentClient(createDynamoDBClient()),
      tableName: required('READ_MODEL_TABLE_NAME'),
    }),
    log: createLogger('visitplannr-project-recent'),
  };
}

/** The renderer needs no Redis and no event table: the read-model table and the site bucket. */
export function renderHomepageDependencies(): RenderHomepageDependencies {
  const documents = createDocumentClient(createDynamoDBClient());
  return {
    readModels: createDynamoDBReadModelStore({ client: documents, tableName: required('READ_MODEL_TABLE_NAME') }),
    site: createS3SiteBucket({ client: new S3Client({}), bucket: required('SITE_BUCKET_NAME') }),
    settings: { assets: HOMEPAGE_ASSETS },
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
