/**
 * The one composition root: from the settings and the platform's clients (AWS's in a Lambda,
 * the emulator's in the local stack) to the functions the topology names. A handler gets
 * only what its route uses, so the function's IAM grants and its dependencies are the same list.
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import { handlerOf } from '../handlers/index.js';
import type { GraphQLContext } from '../resolvers/context.js';
import type { AnyRoute } from '../topology/topology.js';
import { topology } from '../topology/topology.js';
import { createAuthenticator } from './auth/authenticator.js';
import { createCloudFrontInvalidator } from './cloudfront/invalidator.js';
import { createDocumentClient } from './dynamodb/clients.js';
import { createDynamoDBEventStore } from './dynamodb/event-store.js';
import { createDynamoDBReadModelStore } from './dynamodb/read-model-store.js';
import { siteVisitorCheck } from './edge/site-origin.js';
import { createFanoutFunction } from './fanout/function.js';
import { createGraphQLFunction, type GraphQLFunction } from './graphql/server.js';
import { GRAPHQL_TIME_BUDGET } from './graphql/time-budget.js';
import { createRedisAnswerLog } from './redis/answer-log.js';
import type { RedisConnection } from './redis/connection.js';
import { createProposalBudget } from './redis/proposal-budget.js';
import { createRedisPublisher } from './redis/publisher.js';
import { createRedisSubscriber } from './redis/subscriber.js';
import { coalesceAppends } from './runner/coalesce-appends.js';
import { createDecideFailuresFunction } from './runner/decide-failures.js';
import { functionFor } from './runner/deliveries.js';
import { dependenciesUsedBy, type RunnerDependencies } from './runner/dependencies.js';
import type { Log } from './runtime/logger.js';
import { toResolverLog } from './runtime/logger.js';
import { createS3SiteBucket } from './s3/site-bucket.js';
import { required, type Settings } from './settings.js';
import { writePathTracing } from './telemetry/write-path.js';

/** The platform's clients; each is asked for only when a part needs it. */
export interface Platform {
  readonly dynamodb: () => DynamoDBClient;
  readonly s3: () => S3Client;
  readonly cloudfront: () => CloudFrontClient;
  readonly eventBridge: () => EventBridgeClient;
  readonly streams: () => DynamoDBStreamsClient;
  /** A connection to the cache; `subscriber` for one that only subscribes. */
  readonly redis: (role: string, options?: { readonly subscriber?: boolean }) => RedisConnection;
  readonly logger: (service: string) => Log;
  /** ISO-8601 now. */
  readonly clock: () => string;
  readonly newId: () => string;
}

/** The subscriber's acknowledgement deadlines, warm and on the first SUBSCRIBE after a cold start. */
export interface SubscribeDeadlines {
  readonly ackMs: number;
  readonly firstAckMs?: number;
  readonly onFirstAck?: (ackMs: number) => void;
}

export type App = ReturnType<typeof composeApp>;

/** A journey query waits this long for the cache's record of the answer, then goes on without it. */
const ANSWER_LOG_READ_TIMEOUT_MS = 500;

const once = <T>(build: () => T): (() => T) => {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
};

export function composeApp(settings: Settings, platform: Platform) {
  const documents = once(() => createDocumentClient(platform.dynamodb()));
  const eventStore = once(() =>
    // Appends asked for in the same tick (a batch's records, handled side by side) share transactions.
    coalesceAppends(
      createDynamoDBEventStore({
        client: documents(),
        tableName: required(settings, 'eventTableName'),
        readModelTableName: required(settings, 'readModelTableName'),
      }),
    ),
  );
  const readModels = once(() =>
    createDynamoDBReadModelStore({ client: documents(), tableName: required(settings, 'readModelTableName') }),
  );
  const publisher = once(() =>
    createRedisPublisher({
      redis: platform.redis('publisher'),
      namespace: settings.notifyNamespace,
      timeoutMs: settings.publishTimeoutMs,
    }),
  );
  // The GraphQL function's connection for commands (the budget's script, the answer log): its
  // subscriber connection cannot issue them.
  const graphqlCommands = once(() => platform.redis('graphql-commands'));
  const site = once(() => createS3SiteBucket({ client: platform.s3(), bucket: required(settings, 'siteBucketName') }));
  const cdn = once(() =>
    createCloudFrontInvalidator({
      client: platform.cloudfront(),
      distributionId: required(settings, 'distributionId'),
    }),
  );

  /** What a route's handler may reach: exactly what its `uses` lists. */
  function handlerDependencies(route: AnyRoute): RunnerDependencies {
    const used = dependenciesUsedBy(route);
    return {
      ...(used.has('eventStore') ? { eventStore: eventStore() } : {}),
      ...(used.has('readModels') ? { readModels: readModels() } : {}),
      ...(used.has('site') ? { site: site() } : {}),
      ...(used.has('cdn') ? { cdn: cdn() } : {}),
      ...(used.has('publisher') ? { publisher: publisher() } : {}),
      clock: platform.clock,
      log: platform.logger(`visitplannr-${route.handler}`),
    };
  }

  return {
    eventStore,
    readModels,
    handlerDependencies,

    /** The function of a route, wired by its delivery kind, with `deps` (default: what the route uses). */
    handlerFunction(route: AnyRoute, deps: RunnerDependencies = handlerDependencies(route)) {
      return functionFor[route.delivery](handlerOf(route.handler), deps);
    },

    /** The route HANDLER_NAME names, checked against the delivery kind of the entry point that serves it. */
    routeNamed(delivery: AnyRoute['delivery']): AnyRoute {
      const name = required(settings, 'handlerName');
      const route = topology.find((candidate) => candidate.handler === name);
      if (!route || route.delivery !== delivery) {
        throw new Error(`HANDLER_NAME ${name} is not a ${delivery} route of the topology`);
      }
      return route;
    },

    decideFailuresFunction() {
      return createDecideFailuresFunction({
        eventStore: eventStore(),
        streams: platform.streams(),
        clock: platform.clock,
        log: platform.logger('visitplannr-decide-failures'),
      });
    },

    fanoutFunction(retry = { attempts: 3, baseDelayMs: 100 }) {
      return createFanoutFunction({
        eventBridge: platform.eventBridge(),
        eventBusName: required(settings, 'eventBusName'),
        routes: topology,
        retry,
        log: platform.logger('visitplannr-fanout'),
      });
    },

    /** The resolvers' dependencies: the stores, and a subscriber on its own connection. */
    graphqlContext(
      deadlines: SubscribeDeadlines,
      connection: RedisConnection = platform.redis('graphql-subscriber', { subscriber: true }),
    ): GraphQLContext {
      return {
        eventStore: eventStore(),
        readModels: readModels(),
        notifications: createRedisSubscriber({
          redis: connection,
          namespace: settings.notifyNamespace,
          ackTimeoutMs: deadlines.ackMs,
          ...(deadlines.firstAckMs ? { firstAckTimeoutMs: deadlines.firstAckMs } : {}),
          ...(deadlines.onFirstAck ? { onFirstAck: deadlines.onFirstAck } : {}),
        }),
        answers: createRedisAnswerLog({
          redis: graphqlCommands(),
          namespace: settings.notifyNamespace,
          recordTimeoutMs: GRAPHQL_TIME_BUDGET.answerRecordMs,
          readTimeoutMs: ANSWER_LOG_READ_TIMEOUT_MS,
        }),
        clock: platform.clock,
        newId: platform.newId,
        mutationDeadlineMs: settings.mutationDeadlineMs,
        outcomePollIntervalMs: settings.outcomePollIntervalMs,
        log: toResolverLog(platform.logger('visitplannr-graphql')),
        tracing: writePathTracing,
      };
    },

    /**
     * The GraphQL function. Requests the site's edge vouches for (ORIGIN_SECRETS) are its
     * anonymous visitors', within the proposal budget; every other caller authenticates.
     */
    graphqlFunction(
      context: GraphQLContext,
      options: { readonly answerMarginMs?: number; readonly allowedOrigins?: readonly string[] } = {},
    ): GraphQLFunction {
      return createGraphQLFunction(context, {
        developerTools: settings.developerTools,
        authenticate: createAuthenticator(settings.auth()),
        answerMarginMs: options.answerMarginMs ?? GRAPHQL_TIME_BUDGET.marginMs,
        ...(settings.originSecrets.length > 0
          ? {
              siteVisitors: {
                check: siteVisitorCheck(settings.originSecrets),
                budget: createProposalBudget({
                  redis: graphqlCommands(),
                  namespace: settings.notifyNamespace,
                  limits: settings.proposalLimits,
                  timeoutMs: 500,
                }),
              },
            }
          : {}),
        allowedOrigins: [...(options.allowedOrigins ?? []), ...settings.allowedOrigins],
      });
    },
  };
}
