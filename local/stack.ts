/**
 * The local stack: the same functions AWS runs, wired by the same topology, on real
 * parts — DynamoDB Local with its stream, Redis, a PutEvents-compatible bus and an
 * HTTP API stand-in. One call starts it all; `stop()` takes it all down.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, S3Event } from 'aws-lambda';
import { VisitplannrError } from '../src/errors/index.js';
import type { ProposeDestination } from '../src/domain/messages.js';
import {
  busRoutes,
  type BusHandlerName,
  readModelStreamRoutes,
  routeOf,
  rulePatternFor,
  streamFilterFor,
  streamRoutes,
  topology,
  typesForwardedToBus,
} from '../src/topology/topology.js';
import { type AuthOptions, createAuthenticator } from '../src/shell/auth/authenticator.js';
import { createDocumentClient, createDynamoDBClient, EMULATOR_AWS } from '../src/shell/dynamodb/clients.js';
import { createDynamoDBEventStore } from '../src/shell/dynamodb/event-store.js';
import { createDynamoDBReadModelStore } from '../src/shell/dynamodb/read-model-store.js';
import { fromStreamImage } from '../src/shell/dynamodb/record-codec.js';
import { recordCommandFailure } from '../src/shell/flows/decide.js';
import { coalesceAppends } from '../src/shell/flows/coalesce-appends.js';
import type { FlowDependencies } from '../src/shell/flows/dependencies.js';
import { createProjectRecentFunction, PROJECT_RECENT } from '../src/shell/functions/project-recent.js';
import { createDecideFunction, DECIDE } from '../src/shell/functions/decide.js';
import { INVALIDATE_CDN } from '../src/shell/functions/invalidate-cdn.js';
import { RENDER_HOMEPAGE } from '../src/shell/functions/render-homepage.js';
import { createFanoutFunction } from '../src/shell/functions/fanout.js';
import { createGraphQLFunction } from '../src/shell/functions/graphql.js';
import type { BusEvent } from '../src/shell/functions/bus-handler.js';
import { busFunctionFactories } from '../src/shell/functions/handlers.js';
import { connectRedis, type RedisConnection, type RedisMode } from '../src/shell/redis/connection.js';
import { createRedisPublisher } from '../src/shell/redis/publisher.js';
import { createRedisSubscriber } from '../src/shell/redis/subscriber.js';
import { systemClock } from '../src/shell/runtime/clock.js';
import { sleep, withDeadline } from '../src/shell/runtime/deadline.js';
import { toResolverLog } from '../src/shell/runtime/logger.js';
import { parseAllowedOrigins } from '../src/shell/functions/cors.js';
import { siteVisitorCheck } from '../src/shell/edge/site-origin.js';
import {
  createProposalBudget,
  DEFAULT_PROPOSAL_LIMITS,
  type ProposalLimits,
} from '../src/shell/redis/proposal-budget.js';
import { startLocalEdge } from './edge.js';
import { DEAD_LETTERS_PATH, deadLetterRoute } from './dead-letter-admin.js';
import { createDeadLetterStore, type DeadLetter, type DeadLetterStore } from './dead-letters.js';
import { type LocalSite, readModelStreamMapping, startLocalRenderer, startLocalSite } from './homepage.js';
import { startDynamoDBLocal } from './dynamodb-local.js';
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
import { type StreamPoller, startStreamPoller } from './stream-poller.js';
import { type DynamoDBCallCounter, observeDynamoDBCalls } from './dynamodb-calls.js';
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
  /** The longest pause between polls of an idle stream (the records a handler waits for wake the event stream's poller at once). */
  readonly pollIdleMs?: number;
  /** The batching window of the read-model stream's handlers (recent list, homepage); default the topology's. */
  readonly readModelBatchingWindowMs?: number;
  readonly logLevel?: string;
  /** Who may call mutations; anyone unless set (AWS defaults to api-key). */
  readonly auth?: AuthOptions;
  /** The anonymous proposal budget of the site's origin (the edge); default the AWS entry point's. */
  readonly proposalLimits?: ProposalLimits;
  /** HTTP port of the site's origin (the local edge: the homepage and its /graphql); 0 (default) picks a free one. */
  readonly sitePort?: number;
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
  /** The homepage on the site's origin (the local edge: the site bucket, and /graphql to the API, as CloudFront on AWS). */
  readonly homepageUrl: string;
  /** The site bucket, its writes as seen by the stack, and the CloudFront stand-in's recorded calls. */
  readonly site: Pick<LocalSite, 'bucket' | 'writes' | 'cdn'>;
  /** The render-homepage function: paused, its batches wait (changes keep gathering), as for a throttled function. */
  readonly renderer: Pick<LocalFunction<unknown, unknown>, 'pause' | 'resume' | 'invocations'>;
  readonly dynamodbEndpoint: string;
  /** DynamoDB Local's JVM, when this stack started it. */
  readonly dynamodbPid?: number;
  readonly redisUrl: string;
  readonly redisMode: RedisMode;
  readonly eventBusEndpoint: string;
  readonly tables: TableNames;
  readonly namespace: string;
  readonly handlers: Readonly<Record<'decide' | BusHandlerName, HandlerControls>>;
  readonly deadLetters: DeadLetterStore;
  /** Makes chosen DynamoDB operations of this stack's client fail (throttling, 500, lost response). */
  readonly dynamodbFaults: DynamoDBFaultInjector;
  /** DynamoDB calls of this stack (API and handlers, stream reads included), by operation. */
  readonly dynamodbCalls: DynamoDBCallCounter;
  /**
   * Resolves once every record written to the streams so far has been read, and every
   * delivery it caused (and the records those wrote, and so on) has finished or been dead-lettered.
   * Past the deadline (default 60 s) it rejects with a StackNotSettledError naming what is still in flight.
   */
  settled(options?: { readonly deadlineMs?: number }): Promise<void>;
  /** What is under way now: stream records, bus and S3 deliveries (by function), streams being read to their end. */
  inFlight(): string[];
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const logLevel = options.logLevel ?? process.env['LOG_LEVEL'] ?? 'INFO';
  const log = createLocalLogger('visitplannr-local', logLevel);
  const retry = options.retry ?? { maxAttempts: 3, baseDelayMs: 200 };
  const namespace = options.namespace ?? 'visitplannr:local';
  const pollIdleMs = options.pollIdleMs ?? 500;
  const tables = tableNames(options.tablePrefix ?? 'visitplannr-');
  const cleanup: (() => Promise<unknown>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.reverse())
      await step().catch((error: unknown) => log.warn('stop step failed', { error }));
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

    const aws = { endpoint: dynamodb.endpoint, ...EMULATOR_AWS };
    const dynamodbClient = createDynamoDBClient(aws);
    cleanup.push(async () => dynamodbClient.destroy());
    const streams = new DynamoDBStreamsClient(aws);
    cleanup.push(async () => streams.destroy());
    const pollers: { readonly poller: StreamPoller; readonly table: string }[] = [];
    // The event stream's records that a handler on a mutation's path waits for (the decider's
    // commands, what the bus forwards): writing one wakes the event stream's poller.
    const awaitedTypes = new Set<string>([
      ...streamRoutes(topology).flatMap((route) => route.consumes),
      ...typesForwardedToBus(topology),
    ]);
    let wakeEventStream = (): void => undefined;
    const dynamodbCalls = observeDynamoDBCalls([dynamodbClient, streams], (items) => {
      if (!items.some((item) => item.table === tables.events && item.type !== undefined && awaitedTypes.has(item.type)))
        return;
      // After the writer's own continuation (e.g. the decider's publish) is under way, not before it.
      setImmediate(() => wakeEventStream());
    });
    const dynamodbFaults = injectDynamoDBFaults(dynamodbClient);
    const documents = createDocumentClient(dynamodbClient);
    await ensureTables(dynamodbClient, tables);
    const eventStore = coalesceAppends(
      createDynamoDBEventStore({ client: documents, tableName: tables.events, readModelTableName: tables.readModels }),
    );
    const readModels = createDynamoDBReadModelStore({ client: documents, tableName: tables.readModels });

    const connections: RedisConnection[] = [];
    cleanup.push(() =>
      Promise.all(connections.map((connection) => connection.quit().catch(() => connection.disconnect()))),
    );
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
      return {
        eventStore: faulty.store,
        readModels,
        publisher,
        clock,
        log: createLocalLogger(`visitplannr-${handler}`, logLevel),
      };
    };
    // Recording a command's failure runs outside the decider, so injected faults do not reach it.
    const failureRecorder: FlowDependencies = { eventStore, readModels, publisher, clock, log };
    const deadLetters = createDeadLetterStore(
      options.dataDir ? join(options.dataDir, 'dead-letters.jsonl') : undefined,
    );
    const decideFn = localFunction(DECIDE, createDecideFunction(depsFor('decide')));
    const busFns = Object.fromEntries(
      (Object.keys(busFunctionFactories) as BusHandlerName[]).map((name) => [
        name,
        localFunction(name, busFunctionFactories[name](depsFor(name))),
      ]),
    ) as Record<BusHandlerName, LocalFunction<BusEvent, void>>;

    // 3. The bus, with one rule per bus route of the topology.
    const rules: LocalRule[] = busRoutes(topology).map((route) => ({
      name: `${route.handler}-rule`,
      pattern: rulePatternFor(route),
      target: busFns[route.handler as BusHandlerName],
    }));
    const bus = await startLocalEventBus({ rules, retry, deadLetters, log });
    cleanup.push(() => bus.stop());
    const eventBridge = new EventBridgeClient({ endpoint: bus.endpoint, ...EMULATOR_AWS });
    cleanup.push(async () => eventBridge.destroy());
    const fanoutFn = localFunction(
      'fanout',
      createFanoutFunction({
        eventBridge,
        eventBusName: 'visitplannr-local',
        routes: topology,
        retry: { attempts: 3, baseDelayMs: 50 },
        log,
      }),
    );

    // 4. The site bucket, whose object-created notifications reach invalidate-cdn (and the CloudFront stand-in).
    const host = options.host ?? '127.0.0.1';
    const site = await startLocalSite({
      host,
      bucketName: `${options.tablePrefix ?? 'visitplannr-'}site`,
      retry,
      deadLetters,
      logLevel,
      log,
    });
    cleanup.push(() => site.stop());

    // 5. The table's stream → event source mappings: the decider (filtered) and the fan-out.
    const decideRoute = routeOf(streamRoutes(topology), DECIDE);
    const decideFilter = streamFilterFor(decideRoute);
    const eventMappings: EventSourceMapping[] = [
      createEventSourceMapping({
        fn: decideFn,
        filter: (record) => matchesStreamFilter(decideFilter, record),
        ...(decideRoute.batching
          ? {
              batchSize: decideRoute.batching.batchSize,
              parallelizationFactor: decideRoute.batching.parallelizationFactor,
            }
          : {}),
        // The route's own retry count, as on AWS, unless a stack is told otherwise (tests that exhaust it).
        retry:
          options.retry ??
          (decideRoute.batching ? { ...retry, maxAttempts: decideRoute.batching.retryAttempts + 1 } : retry),
        deadLetters,
        log,
        onExhausted: (records, error) => recordFailedCommands(failureRecorder, records, error),
      }),
      createEventSourceMapping({
        fn: fanoutFn,
        filter: (record) => record.eventName === 'INSERT',
        batchSize: 100,
        retry,
        deadLetters,
        log,
      }),
    ];
    const readModelMappings: EventSourceMapping[] = [];
    const functionsByName = new Map<string, { readonly paused: boolean; readonly active: number }>();
    const mappings = [...eventMappings];
    const followStream = async (
      tableName: string,
      targets: EventSourceMapping[],
      backoff: { firstMs: number; maxMs: number },
    ): Promise<StreamPoller> => {
      const { Table } = await dynamodbClient.send(new DescribeTableCommand({ TableName: tableName }));
      if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
      const poller = startStreamPoller({
        client: streams,
        streamArn: Table.LatestStreamArn,
        backoff,
        log,
        onRecords: async (records) => {
          for (const mapping of targets) mapping.enqueue(records);
        },
      });
      pollers.push({ poller, table: tableName });
      cleanup.push(() => poller.stop());
      return poller;
    };
    // Stopping: after the pollers, let in-flight deliveries finish (bounded) before connections close.
    const drainInFlight = async () => {
      await Promise.all(mappings.map((mapping) => mapping.drain()));
      await bus.idle();
      await site.notifications.idle();
    };
    cleanup.push(() => withDeadline(drainInFlight(), 5000, 'draining in-flight deliveries'));
    // Streams a settling round is still reading to their end (named when the round runs out of time).
    const unread = new Map<string, number>();
    /** What is still under way, one line per place, e.g. `validate-geolocation: 1 bus delivery (function paused)`. */
    const inFlight = (): string[] => {
      const state = (fn: { paused: boolean; active: number }) => (fn.paused ? ' (function paused)' : '');
      const lines: string[] = [];
      for (const mapping of mappings) {
        if (mapping.inFlight > 0)
          lines.push(
            `${mapping.name}: ${mapping.inFlight} stream record(s)${state(functionsByName.get(mapping.name)!)}`,
          );
      }
      for (const [via, invoker] of [
        ['bus', bus],
        ['S3 notification', site.notifications],
      ] as const) {
        for (const [name, count] of invoker.inFlight())
          lines.push(
            `${name}: ${count} ${via} deliver${count === 1 ? 'y' : 'ies'}${state(functionsByName.get(name)!)}`,
          );
      }
      for (const table of unread.keys()) lines.push(`stream of ${table}: not yet read to its end`);
      return lines;
    };
    const eventStream = await followStream(tables.events, eventMappings, { firstMs: 25, maxMs: pollIdleMs });
    wakeEventStream = () => eventStream.wake();

    // Redrive: a dead letter goes back to the function that gave up on it, as one delivery.
    const streamFns: Record<string, LocalFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>> = {
      [DECIDE]: decideFn,
      fanout: fanoutFn,
    };
    const redeliver = async (letter: DeadLetter): Promise<void> => {
      const streamFn = streamFns[letter.handler];
      if (streamFn) {
        const { batchItemFailures } = await streamFn.invoke({ Records: [letter.payload as DynamoDBRecord] });
        if (batchItemFailures.length > 0)
          throw new Error(`${letter.handler} reported the record as a batch item failure again`);
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

    // 6. GraphQL over HTTP through the Lambda handler. Requests through the site's edge carry its
    // secret (made afresh per stack) and are the anonymous visitors', within the proposal budget.
    const originSecret = randomBytes(32).toString('hex');
    const siteVisitors = {
      check: siteVisitorCheck([originSecret]),
      budget: createProposalBudget({
        redis: publisherConnection,
        namespace,
        limits: options.proposalLimits ?? DEFAULT_PROPOSAL_LIMITS,
        timeoutMs: 500,
      }),
    };
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
        siteVisitors,
        authenticate: createAuthenticator(options.auth ?? { mode: 'none' }),
        allowedOrigins: [
          site.bucket.origin,
          site.bucket.origin.replace('127.0.0.1', 'localhost'),
          ...parseAllowedOrigins(process.env['ALLOWED_ORIGINS']),
        ],
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
    const edge = await startLocalEdge({
      host,
      port: options.sitePort ?? 0,
      siteUrl: site.bucket.websiteUrl,
      apiUrl: `${gateway.url}/graphql`,
      originSecret,
    });
    cleanup.push(() => edge.stop());

    // 7. The read-model table's stream: the recent list folded from changed destinations, and the
    // homepage, rendered now and then on every change of the list.
    const readModelWindow =
      options.readModelBatchingWindowMs === undefined ? {} : { batchingWindowMs: options.readModelBatchingWindowMs };
    const projectRecentFn = localFunction(
      PROJECT_RECENT,
      createProjectRecentFunction({ readModels, log: createLocalLogger(`visitplannr-${PROJECT_RECENT}`, logLevel) }),
      { concurrency: 1 },
    );
    const renderer = await startLocalRenderer({
      site,
      readModels,
      ...readModelWindow,
      retry,
      deadLetters,
      logLevel,
      log,
    });
    readModelMappings.push(
      readModelStreamMapping(routeOf(readModelStreamRoutes(topology), PROJECT_RECENT), projectRecentFn, {
        ...readModelWindow,
        retry,
        deadLetters,
        log,
      }),
      renderer.mapping,
    );
    mappings.push(...readModelMappings);
    streamFns[PROJECT_RECENT] = projectRecentFn;
    streamFns[RENDER_HOMEPAGE] = renderer.fn;
    for (const fn of [...Object.values(streamFns), ...Object.values(busFns), site.invalidateFn])
      functionsByName.set(fn.name, fn);
    // Its consumers gather changes over a batching window: a slower backoff and no wake-ups add nothing they would notice.
    await followStream(tables.readModels, readModelMappings, { firstMs: Math.min(100, pollIdleMs), maxMs: pollIdleMs });

    const controls = (name: 'decide' | BusHandlerName, fn: { pause(): void; resume(): void }): HandlerControls => ({
      pause: () => fn.pause(),
      resume: () => fn.resume(),
      failNext: (count) => injectors[name].failNext(count),
    });

    return {
      graphqlUrl: `${gateway.url}/graphql`,
      deadLettersUrl: `${gateway.url}${DEAD_LETTERS_PATH}`,
      playgroundUrl: `${gateway.url}${PLAYGROUND_PATH}`,
      homepageUrl: edge.url,
      site,
      renderer: renderer.fn,
      dynamodbEndpoint: dynamodb.endpoint,
      ...('pid' in dynamodb && dynamodb.pid ? { dynamodbPid: dynamodb.pid } : {}),
      redisUrl: redisServer.url,
      redisMode,
      eventBusEndpoint: bus.endpoint,
      tables,
      namespace,
      handlers: {
        decide: controls('decide', decideFn),
        ...(Object.fromEntries(
          Object.entries(busFns).map(([name, fn]) => [name, controls(name as BusHandlerName, fn)]),
        ) as Record<BusHandlerName, HandlerControls>),
      },
      deadLetters,
      dynamodbFaults,
      dynamodbCalls,
      inFlight,
      async settled({ deadlineMs = SETTLE_DEADLINE_MS } = {}) {
        // Handling a record writes new ones: settled is a round in which every stream, read to
        // its end after everything in flight finished, had nothing new.
        const delivered = () => pollers.reduce((sum, { poller }) => sum + poller.delivered, 0);
        const round = async (): Promise<boolean> => {
          const before = delivered();
          await drainInFlight();
          await Promise.all(
            pollers.map(async ({ poller, table }) => {
              unread.set(table, (unread.get(table) ?? 0) + 1);
              try {
                await poller.caughtUp();
              } finally {
                const left = unread.get(table)! - 1;
                if (left === 0) unread.delete(table);
                else unread.set(table, left);
              }
            }),
          );
          return delivered() === before;
        };
        let expired = false;
        await withDeadline(
          (async () => {
            while (!expired && !(await round()));
          })(),
          deadlineMs,
          () => {
            expired = true;
            return new StackNotSettledError(deadlineMs, inFlight());
          },
        );
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export class StackNotSettledError extends VisitplannrError {
  override readonly name = 'StackNotSettledError';
  readonly code = 'STACK_NOT_SETTLED';
  constructor(
    readonly deadlineMs: number,
    readonly inFlight: readonly string[],
  ) {
    super(
      `the stack did not settle within ${deadlineMs} ms; still in flight: ${inFlight.length > 0 ? inFlight.join('; ') : 'nothing counted (a round was between steps)'}`,
    );
  }
}

/** Long enough for a retried, backed-off delivery under load; a stuck one is an error, not a hang. */
const SETTLE_DEADLINE_MS = 60_000;

/** As AWS's decide-failures does from its queue: each command FAILED, each write retried until it lands (bounded). */
async function recordFailedCommands(deps: FlowDependencies, records: DynamoDBRecord[], error: string): Promise<void> {
  for (const streamRecord of records) {
    const image = streamRecord.dynamodb?.NewImage;
    if (!image) continue;
    const record = fromStreamImage(image as never);
    if (record.kind !== 'command') continue;
    for (let attempt = 1; ; attempt++) {
      try {
        await recordCommandFailure(deps, record as ProposeDestination, DECIDE, error);
        break;
      } catch (failure) {
        if (attempt >= FAILURE_RECORD_ATTEMPTS) throw failure;
        deps.log.warn('recording a failed command failed; trying again', {
          correlationId: record.correlationId,
          attempt,
          error: failure,
        });
        await sleep(FAILURE_RECORD_BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
  }
}

const FAILURE_RECORD_ATTEMPTS = 6;
const FAILURE_RECORD_BACKOFF_MS = 100;
