/**
 * The local stack: the same functions AWS runs, wired by the same topology, on real
 * parts — DynamoDB Local with its stream, Redis, a PutEvents-compatible bus and an
 * HTTP API stand-in. One call starts it all; `stop()` takes it all down.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, S3Event } from 'aws-lambda';
import type { ProposeDestination } from '../../domain/messages.js';
import { busRoutes, type BusHandlerName, rulePatternFor, streamFilterFor, streamRoutes, topology } from '../../topology/topology.js';
import { type AuthOptions, createAuthenticator } from '../auth/authenticator.js';
import { createDocumentClient, createDynamoDBClient } from '../dynamodb/clients.js';
import { createDynamoDBEventStore } from '../dynamodb/event-store.js';
import { createDynamoDBReadModelStore } from '../dynamodb/read-model-store.js';
import { fromStreamImage } from '../dynamodb/record-codec.js';
import { recordCommandFailure } from '../flows/decide.js';
import type { FlowDependencies } from '../flows/dependencies.js';
import { createDecideFunction, DECIDE } from '../functions/decide.js';
import { INVALIDATE_CDN } from '../functions/invalidate-cdn.js';
import { RENDER_HOMEPAGE } from '../functions/render-homepage.js';
import { createFanoutFunction } from '../functions/fanout.js';
import { createGraphQLFunction } from '../functions/graphql.js';
import type { BusEvent } from '../functions/bus-handler.js';
import { busFunctionFactories } from '../functions/handlers.js';
import { connectRedis, type RedisConnection, type RedisMode } from '../redis/connection.js';
import { createRedisPublisher } from '../redis/publisher.js';
import { createRedisSubscriber } from '../redis/subscriber.js';
import { systemClock } from '../runtime/clock.js';
import { sleep, withDeadline } from '../runtime/deadline.js';
import { toResolverLog } from '../runtime/logger.js';
import { parseAllowedOrigins } from '../functions/cors.js';
import { DEAD_LETTERS_PATH, deadLetterRoute } from './dead-letter-admin.js';
import { createDeadLetterStore, type DeadLetter, type DeadLetterStore } from './dead-letters.js';
import { type LocalSite, startLocalRenderer, startLocalSite } from './homepage.js';
import { LOCAL_AWS, startDynamoDBLocal } from './dynamodb-local.js';
import { startLocalEventBus, type LocalRule } from './event-bus.js';
import { createEventSourceMapping, type EventSourceMapping, type RetryPolicy } from './event-source-mapping.js';
import { type DynamoDBFaultInjector, injectDynamoDBFaults } from './dynamodb-faults.js';
import { type FaultInjector, withFaults } from './faults.js';
import { startHttpGateway } from './http-gateway.js';
import { type LocalFunction, localFunction } from './local-function.js';
import { createLocalLogger } from './local-logger.js';
import { createPlayground, PLAYGROUND_PATH, wantsPage } from './playground/playground.js';
import { ensureRedis } from './redis.js';
import { startRedisCluster } from './redis-cluster.js';
import { startStreamPoller } from './stream-poller.js';
import { ensureTables, tableNames, type TableNames } from './tables.js';
import { matchesStreamFilter } from './stream-filter.js';

export interface LocalStackOptions {
  /** HTTP port for the GraphQL API; 0 picks a free one. */
  readonly port?: number;
  readonly host?: string;
  /** Use this DynamoDB endpoint instead of starting DynamoDB Local. */
  readonly dynamodbEndpoint?: string;
  /** Persist DynamoDB Local (and the dead letters) here instead of keeping them in memory. */
  readonly dataDir?: string;
  readonly redisUrl?: string;
  /** `cluster`: talk sharded pub/sub to a Redis cluster at `redisUrl`, or to a private 3-node one when no URL is given. */
  readonly redisMode?: RedisMode;
  /** Prefixes notification channels, so stacks can share a Redis. */
  readonly namespace?: string;
  readonly tablePrefix?: string;
  readonly mutationDeadlineMs?: number;
  readonly retry?: RetryPolicy;
  readonly pollIdleMs?: number;
  /** The homepage renderer's batching window; default the topology's. */
  readonly renderBatchingWindowMs?: number;
  readonly logLevel?: string;
  /** Who may call mutations; anyone unless set (AWS defaults to api-key). */
  readonly auth?: AuthOptions;
}

export interface HandlerControls {
  /** Invocations wait until resume(), as for a throttled function. */
  pause(): void;
  resume(): void;
  /** The handler's next `count` event-store calls throw, exercising its failure path. */
  failNext(count: number): void;
}

export interface LocalStack {
  readonly graphqlUrl: string;
  /** List (GET) and redrive (POST) the dead letters; see dead-letter-admin.ts. */
  readonly deadLettersUrl: string;
  /** The offline GraphQL IDE (also served to browsers at graphqlUrl). */
  readonly playgroundUrl: string;
  /** The homepage, served from the site bucket (s3rver) with website hosting. */
  readonly homepageUrl: string;
  /** The site bucket, its writes as seen by the stack, and the CloudFront stand-in's recorded calls. */
  readonly site: Pick<LocalSite, 'bucket' | 'writes' | 'cdn'>;
  /** The render-homepage function: paused, its batches wait (changes keep gathering), as for a throttled function. */
  readonly renderer: Pick<LocalFunction<unknown, unknown>, 'pause' | 'resume' | 'invocations'>;
  readonly dynamodbEndpoint: string;
  readonly redisUrl: string;
  readonly redisMode: RedisMode;
  readonly eventBusEndpoint: string;
  readonly tables: TableNames;
  readonly namespace: string;
  readonly handlers: Readonly<Record<'decide' | BusHandlerName, HandlerControls>>;
  readonly deadLetters: DeadLetterStore;
  /** Makes chosen DynamoDB operations of this stack's client fail (throttling, 500, lost response). */
  readonly dynamodbFaults: DynamoDBFaultInjector;
  /** Resolves once every record seen so far has been handled by every function. */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const logLevel = options.logLevel ?? process.env['LOG_LEVEL'] ?? 'INFO';
  const log = createLocalLogger('visitplannr-local', logLevel);
  const retry = options.retry ?? { maxAttempts: 3, baseDelayMs: 200 };
  const namespace = options.namespace ?? 'visitplannr:local';
  const pollIdleMs = options.pollIdleMs ?? 25;
  const tables = tableNames(options.tablePrefix ?? 'visitplannr-');
  const cleanup: (() => Promise<unknown>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => log.warn('stop step failed', { error }));
  };

  try {
    // 1. Real parts: DynamoDB Local and Redis.
    const dynamodb = options.dynamodbEndpoint
      ? { endpoint: options.dynamodbEndpoint, stop: async () => undefined }
      : await startDynamoDBLocal(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {});
    cleanup.push(() => dynamodb.stop());
    const redisMode = options.redisMode ?? 'single';
    const redisServer =
      redisMode === 'single'
        ? await ensureRedis(options.redisUrl ?? 'redis://127.0.0.1:6379')
        : options.redisUrl
          ? { url: options.redisUrl, started: false, stop: async () => undefined }
          : await startRedisCluster();
    cleanup.push(() => redisServer.stop());

    const aws = { endpoint: dynamodb.endpoint, ...LOCAL_AWS };
    const dynamodbClient = createDynamoDBClient(aws);
    cleanup.push(async () => dynamodbClient.destroy());
    const dynamodbFaults = injectDynamoDBFaults(dynamodbClient);
    const documents = createDocumentClient(dynamodbClient);
    await ensureTables(dynamodbClient, tables);
    const eventStore = createDynamoDBEventStore({ client: documents, tableName: tables.events });
    const readModels = createDynamoDBReadModelStore({ client: documents, tableName: tables.readModels });

    const connections: RedisConnection[] = [];
    cleanup.push(() => Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect()))));
    const publisherConnection = connectRedis(redisServer.url, 'publisher', log, redisMode);
    const subscriberConnection = connectRedis(redisServer.url, 'subscriber', log, redisMode);
    connections.push(publisherConnection, subscriberConnection);
    const publisher = createRedisPublisher({ redis: publisherConnection, namespace, timeoutMs: 1000 });
    const clock = systemClock;

    // 2. The handler functions, each with its own fault injector.
    const injectors = {} as Record<'decide' | BusHandlerName, FaultInjector>;
    const depsFor = (handler: 'decide' | BusHandlerName): FlowDependencies => {
      const faulty = withFaults(eventStore, handler);
      injectors[handler] = faulty.injector;
      return { eventStore: faulty.store, readModels, publisher, clock, log: createLocalLogger(`visitplannr-${handler}`, logLevel) };
    };
    // Recording a command's failure runs outside the decider, so injected faults do not reach it.
    const failureRecorder: FlowDependencies = { eventStore, readModels, publisher, clock, log };
    const deadLetters = createDeadLetterStore(options.dataDir ? join(options.dataDir, 'dead-letters.jsonl') : undefined);
    const decideFn = localFunction(DECIDE, createDecideFunction(depsFor('decide')));
    const busFns = Object.fromEntries(
      (Object.keys(busFunctionFactories) as BusHandlerName[]).map((name) => [name, localFunction(name, busFunctionFactories[name](depsFor(name)))]),
    ) as Record<BusHandlerName, LocalFunction<BusEvent, void>>;

    // 3. The bus, with one rule per bus route of the topology.
    const rules: LocalRule[] = busRoutes(topology).map((route) => ({
      name: `${route.handler}-rule`,
      pattern: rulePatternFor(route),
      target: busFns[route.handler as BusHandlerName],
    }));
    const bus = await startLocalEventBus({ rules, retry, deadLetters, log });
    cleanup.push(() => bus.stop());
    const eventBridge = new EventBridgeClient({ endpoint: bus.endpoint, ...LOCAL_AWS });
    cleanup.push(async () => eventBridge.destroy());
    const fanoutFn = localFunction(
      'fanout',
      createFanoutFunction({ eventBridge, eventBusName: 'visitplannr-local', routes: topology, retry: { attempts: 3, baseDelayMs: 50 }, log }),
    );

    // 4. The site bucket, whose object-created notifications reach invalidate-cdn (and the CloudFront stand-in).
    const host = options.host ?? '127.0.0.1';
    const site = await startLocalSite({ host, bucketName: `${options.tablePrefix ?? 'visitplannr-'}site`, retry, deadLetters, logLevel, log });
    cleanup.push(() => site.stop());

    // 5. The table's stream → event source mappings: the decider (filtered) and the fan-out.
    const decideRoute = streamRoutes(topology).find((route) => route.handler === DECIDE);
    if (!decideRoute) throw new Error('the topology has no stream route for decide');
    const decideFilter = streamFilterFor(decideRoute);
    const mappings: EventSourceMapping[] = [
      createEventSourceMapping({
        fn: decideFn,
        filter: (record) => matchesStreamFilter(decideFilter, record),
        retry,
        deadLetters,
        log,
        onExhausted: (records, error) => recordFailedCommands(failureRecorder, records, error),
      }),
      createEventSourceMapping({ fn: fanoutFn, filter: (record) => record.eventName === 'INSERT', retry, deadLetters, log }),
    ];
    const { Table } = await dynamodbClient.send(new DescribeTableCommand({ TableName: tables.events }));
    if (!Table?.LatestStreamArn) throw new Error(`table ${tables.events} has no stream`);
    const streams = new DynamoDBStreamsClient(aws);
    cleanup.push(async () => streams.destroy());
    let recordsSeen = 0;
    const poller = startStreamPoller({
      client: streams,
      streamArn: Table.LatestStreamArn,
      idleMs: pollIdleMs,
      log,
      onRecords: async (records) => {
        recordsSeen += records.length;
        for (const mapping of mappings) mapping.enqueue(records);
      },
    });
    // Stopping: after the poller, let in-flight deliveries finish (bounded) before connections close.
    const drainInFlight = async () => {
      await Promise.all(mappings.map((mapping) => mapping.drain()));
      await bus.idle();
      await site.notifications.idle();
    };
    cleanup.push(() => withDeadline(drainInFlight(), 5000, 'draining in-flight deliveries'));
    cleanup.push(() => poller.stop());

    // Redrive: a dead letter goes back to the function that gave up on it, as one delivery.
    const streamFns: Record<string, LocalFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>> = { [DECIDE]: decideFn, fanout: fanoutFn };
    const redeliver = async (letter: DeadLetter): Promise<void> => {
      const streamFn = streamFns[letter.handler];
      if (streamFn) {
        const { batchItemFailures } = await streamFn.invoke({ Records: [letter.payload as DynamoDBRecord] });
        if (batchItemFailures.length > 0) throw new Error(`${letter.handler} reported the record as a batch item failure again`);
        return;
      }
      if (letter.handler === INVALIDATE_CDN) {
        await site.invalidateFn.invoke(letter.payload as S3Event);
        return;
      }
      const busFn = busFns[letter.handler as BusHandlerName];
      if (!busFn) throw new Error(`no function named ${letter.handler} in this stack`);
      await busFn.invoke(letter.payload as BusEvent);
    };

    // 6. GraphQL over HTTP through the Lambda handler; browsers may call it from the site.
    const graphql = createGraphQLFunction(
      {
        eventStore,
        readModels,
        notifications: createRedisSubscriber({ redis: subscriberConnection, namespace, ackTimeoutMs: 1000 }),
        clock,
        newId: randomUUID,
        mutationDeadlineMs: options.mutationDeadlineMs ?? 5000,
        outcomePollIntervalMs: 200,
        log: toResolverLog(createLocalLogger('visitplannr-graphql', logLevel)),
      },
      {
        developerTools: true,
        authenticate: createAuthenticator(options.auth ?? { mode: 'none' }),
        allowedOrigins: [site.bucket.origin, site.bucket.origin.replace('127.0.0.1', 'localhost'), ...parseAllowedOrigins(process.env['ALLOWED_ORIGINS'])],
      },
    );
    const graphqlFn = localFunction('graphql', graphql, { concurrency: 1000 });
    // Browsers opening the API get the offline playground instead of Apollo's CDN-hosted landing page.
    const playground = createPlayground('/graphql');
    const gateway = await startHttpGateway({
      host,
      port: options.port ?? 4000,
      routes: {
        '/graphql': (event) => (wantsPage(event) ? playground.routes[PLAYGROUND_PATH]!() : graphqlFn.invoke(event)),
        ...playground.routes,
        [DEAD_LETTERS_PATH]: deadLetterRoute(deadLetters, redeliver),
      },
      log,
    });
    cleanup.push(() => gateway.stop());

    // 7. The homepage: rendered now, then on every change of the recent-destinations item (the read-model table's stream).
    const { Table: readModelTable } = await dynamodbClient.send(new DescribeTableCommand({ TableName: tables.readModels }));
    if (!readModelTable?.LatestStreamArn) throw new Error(`table ${tables.readModels} has no stream`);
    const renderer = await startLocalRenderer({
      site,
      readModels,
      apiUrl: `${gateway.url}/graphql`,
      streams,
      streamArn: readModelTable.LatestStreamArn,
      pollIdleMs,
      ...(options.renderBatchingWindowMs === undefined ? {} : { batchingWindowMs: options.renderBatchingWindowMs }),
      retry,
      deadLetters,
      logLevel,
      log,
      onRecords: (records) => (recordsSeen += records.length),
    });
    mappings.push(renderer.mapping);
    streamFns[RENDER_HOMEPAGE] = renderer.fn;
    cleanup.push(() => renderer.poller.stop());

    const controls = (name: 'decide' | BusHandlerName, fn: { pause(): void; resume(): void }): HandlerControls => ({
      pause: () => fn.pause(),
      resume: () => fn.resume(),
      failNext: (count) => injectors[name].failNext(count),
    });

    return {
      graphqlUrl: `${gateway.url}/graphql`,
      deadLettersUrl: `${gateway.url}${DEAD_LETTERS_PATH}`,
      playgroundUrl: `${gateway.url}${PLAYGROUND_PATH}`,
      homepageUrl: site.bucket.websiteUrl,
      site,
      renderer: renderer.fn,
      dynamodbEndpoint: dynamodb.endpoint,
      redisUrl: redisServer.url,
      redisMode,
      eventBusEndpoint: bus.endpoint,
      tables,
      namespace,
      handlers: {
        decide: controls('decide', decideFn),
        ...(Object.fromEntries(Object.entries(busFns).map(([name, fn]) => [name, controls(name as BusHandlerName, fn)])) as Record<BusHandlerName, HandlerControls>),
      },
      deadLetters,
      dynamodbFaults,
      async settled() {
        // Handling a record writes new ones, which the poller sees a poll later: settled
        // means a full quiet round with nothing new on the stream.
        for (;;) {
          const before = recordsSeen;
          await drainInFlight();
          await sleep(4 * pollIdleMs + 50);
          if (recordsSeen === before) return;
        }
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function recordFailedCommands(deps: FlowDependencies, records: DynamoDBRecord[], error: string): Promise<void> {
  for (const streamRecord of records) {
    const image = streamRecord.dynamodb?.NewImage;
    if (!image) continue;
    const record = fromStreamImage(image as never);
    if (record.kind === 'command') await recordCommandFailure(deps, record as ProposeDestination, DECIDE, error);
  }
}
