/**
 * The local stack: the same functions AWS runs, composed by the same root from the same
 * settings and wired by the same topology, on real parts: DynamoDB Local with its streams,
 * Redis, a PutEvents-compatible bus, s3rver and an HTTP API stand-in. One call starts it all;
 * `stop()` takes it all down, in reverse.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { AuthOptions } from '../src/shell/auth/authenticator.js';
import { composeApp, type Platform } from '../src/shell/composition.js';
import { createDynamoDBClient, EMULATOR_AWS } from '../src/shell/dynamodb/clients.js';
import { connectRedis, type RedisConnection, type RedisMode } from '../src/shell/redis/connection.js';
import type { ProposalLimits } from '../src/shell/redis/proposal-budget.js';
import { systemClock } from '../src/shell/runtime/clock.js';
import { withDeadline } from '../src/shell/runtime/deadline.js';
import { type Environment, type PlaceDefaults, readSettings } from '../src/shell/settings.js';
import {
  type BusHandlerName,
  busRoutes,
  type HandlerName,
  readModelStreamRoutes,
  rulePatternFor,
  streamFilterFor,
  streamRoutes,
  topology,
  typesForwardedToBus,
} from '../src/topology/topology.js';
import { startCloudFrontStandIn } from './cloudfront-stand-in.js';
import { recordFailedCommands } from './command-failures.js';
import { DEAD_LETTERS_PATH, deadLetterRoute } from './dead-letter-admin.js';
import { createDeadLetterStore, type DeadLetterStore } from './dead-letters.js';
import { type DynamoDBCallCounter, observeDynamoDBCalls } from './dynamodb-calls.js';
import { type DynamoDBFaultInjector, injectDynamoDBFaults } from './dynamodb-faults.js';
import { startDynamoDBLocal } from './dynamodb-local.js';
import { startLocalEdge } from './edge.js';
import { type LocalEventBus, startLocalEventBus } from './event-bus.js';
import { createEventSourceMapping, type EventSourceMapping, type RetryPolicy } from './event-source-mapping.js';
import {
  asBusFunction,
  asObjectCreatedFunction,
  asStreamFunction,
  controlsOf,
  type HandlerControls,
  type LocalHandlerFunction,
  type StreamLocalFunction,
  startHandlerFunctions,
} from './functions.js';
import {
  LOCAL_DISTRIBUTION_ID,
  type LocalSite,
  publishHomepage,
  readModelStreamMapping,
  startLocalSite,
} from './site.js';
import { startHttpGateway } from './http-gateway.js';
import { type LocalFunction, localFunction } from './local-function.js';
import { createLocalLogger } from './local-logger.js';
import { createPlayground, PLAYGROUND_PATH, wantsPage } from './playground/playground.js';
import { redeliverer } from './redrive.js';
import { ensureRedis } from './redis.js';
import { startRedisCluster } from './redis-cluster.js';
import { createSettler, type Followed, StackNotSettledError } from './settle.js';
import { matchesStreamFilter } from './stream-filter.js';
import { startStreamPoller } from './stream-poller.js';
import { ensureTables, tableNames, type TableNames } from './create-tables.js';

export { StackNotSettledError };
export type { HandlerControls };

/** Where the local stack's defaults differ from AWS's: anyone may propose, and channels are the local stack's. */
export const LOCAL_DEFAULTS: PlaceDefaults = { authMode: 'none', notifyNamespace: 'visitplannr:local' };

export interface LocalStackOptions {
  /** HTTP port for the GraphQL API; 0 picks a free one. */
  readonly port?: number;
  readonly host?: string;
  /** Use this DynamoDB endpoint instead of starting DynamoDB Local. */
  readonly dynamodbEndpoint?: string;
  /** Persist DynamoDB Local (and the dead letters) here instead of keeping them in memory. */
  readonly dataDir?: string;
  readonly redisUrl?: string;
  /**
   * `cluster`: talk sharded pub/sub to a Redis cluster at `redisUrl`, or to a private 3-node one when no URL is
   * given.
   */
  readonly redisMode?: RedisMode;
  /** Prefixes notification channels, so stacks can share a Redis. */
  readonly namespace?: string;
  readonly tablePrefix?: string;
  readonly mutationDeadlineMs?: number;
  readonly retry?: RetryPolicy;
  /**
   * The longest pause between polls of an idle stream (the records a handler waits for wake the event stream's
   * poller at once).
   */
  readonly pollIdleMs?: number;
  /** The batching window of the read-model stream's handlers (recent list, homepage); default the topology's. */
  readonly readModelBatchingWindowMs?: number;
  readonly logLevel?: string;
  /**
   * The variables a Lambda would read (AUTH_MODE and its keys, ANON_PROPOSALS_*, ALLOWED_ORIGINS,
   * MUTATION_DEADLINE_MS, LOG_LEVEL; see src/shell/settings.ts), checked the same way; the
   * options above win over them. `npm start` passes its own environment.
   */
  readonly environment?: Environment;
  /** Who may call mutations; anyone unless set (AWS defaults to api-key). */
  readonly auth?: AuthOptions;
  /** The anonymous proposal budget of the site's origin (the edge); default the AWS entry point's. */
  readonly proposalLimits?: ProposalLimits;
  /** HTTP port of the site's origin (the local edge: the homepage and its /graphql); 0 (default) picks a free one. */
  readonly sitePort?: number;
}

export interface LocalStack {
  readonly graphqlUrl: string;
  /** List (GET) and redrive (POST) the dead letters; see dead-letter-admin.ts. */
  readonly deadLettersUrl: string;
  /** The offline GraphQL IDE (also served to browsers at graphqlUrl). */
  readonly playgroundUrl: string;
  /**
   * The homepage on the site's origin (the local edge: the site bucket, and /graphql to the API, as CloudFront on
   * AWS).
   */
  readonly homepageUrl: string;
  /** The site bucket, its writes as seen by the stack, and the CloudFront stand-in's recorded calls. */
  readonly site: Pick<LocalSite, 'bucket' | 'writes' | 'cdn'>;
  /** The render-homepage function: paused, its batches wait (changes keep gathering), as for a throttled function. */
  readonly renderer: Pick<LocalFunction<unknown, unknown>, 'pause' | 'resume' | 'invocations'>;
  /** The fan-out function: paused, the event stream's records gather into its next batch. */
  readonly fanout: Pick<LocalFunction<unknown, unknown>, 'pause' | 'resume' | 'invocations'>;
  /** The local bus: what PutEvents was sent, and a fault hook that refuses chosen entries. */
  readonly bus: Pick<LocalEventBus, 'received' | 'faults'>;
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
  /** Resumes every paused function and disarms every fault, so what one test leaves does not reach the next. */
  resetControls(): void;
  /** What is under way now: stream records, bus and S3 deliveries (by function), streams being read to their end. */
  inFlight(): string[];
  stop(): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const log = createLocalLogger('visitplannr-local', options.logLevel ?? options.environment?.['LOG_LEVEL'] ?? 'INFO');
  const retry = options.retry ?? { maxAttempts: 3, baseDelayMs: 200 };
  const host = options.host ?? '127.0.0.1';
  const prefix = options.tablePrefix ?? 'visitplannr-';
  const tables = tableNames(prefix);
  const pollIdleMs = options.pollIdleMs ?? 500;
  const cleanup: (() => Promise<unknown>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.reverse())
      await step().catch((error: unknown) => log.warn('stop step failed', { error }));
  };
  const own = <T>(part: T, stop: (part: T) => Promise<unknown>): T => (cleanup.push(() => stop(part)), part);

  try {
    // 1. Real parts: DynamoDB Local, Redis, the CloudFront stand-in; the stack's clients.
    const dynamodb = options.dynamodbEndpoint
      ? { endpoint: options.dynamodbEndpoint, pid: undefined }
      : own(await startDynamoDBLocal(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {}), (db) =>
          db.stop(),
        );
    const redisMode = options.redisMode ?? 'single';
    const redis = own(await startRedis(options.redisUrl, redisMode), (server) => server.stop());
    const cdn = own(await startCloudFrontStandIn(), (standIn) => standIn.stop());
    const aws = { endpoint: dynamodb.endpoint, ...EMULATOR_AWS };
    const dynamodbClient = own(createDynamoDBClient(aws), (client) => Promise.resolve(client.destroy()));
    const streams = own(new DynamoDBStreamsClient(aws), (client) => Promise.resolve(client.destroy()));
    const dynamodbFaults = injectDynamoDBFaults(dynamodbClient);
    await ensureTables(dynamodbClient, tables);

    // 2. The settings a Lambda would read, and the app the composition root builds from them.
    const originSecret = randomBytes(32).toString('hex');
    const settings = readSettings(
      localEnvironment(options, { tables, prefix, redis, redisMode, originSecret }),
      LOCAL_DEFAULTS,
    );
    const connections: RedisConnection[] = [];
    cleanup.push(() => Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect()))));
    let busEndpoint = '';
    const platform: Platform = {
      dynamodb: () => dynamodbClient,
      s3: () => site.bucket.createClient(),
      cloudfront: () => cdn.createClient(),
      eventBridge: () =>
        own(new EventBridgeClient({ endpoint: busEndpoint, ...EMULATOR_AWS }), (c) => Promise.resolve(c.destroy())),
      streams: () => streams,
      redis: (role, redisOptions) => {
        const connection = connectRedis(redis.url, role, log, redisMode, redisOptions);
        connections.push(connection);
        return connection;
      },
      logger: (service) => createLocalLogger(service, settings.logLevel),
      clock: systemClock,
      newId: randomUUID,
    };
    const app = composeApp(settings, platform);

    // 3. The topology's functions, the bus with a rule per bus route, the site and its notifications.
    const deadLetters = createDeadLetterStore(
      options.dataDir ? join(options.dataDir, 'dead-letters.jsonl') : undefined,
    );
    let functions: ReadonlyMap<HandlerName, LocalHandlerFunction> = new Map();
    const fnOf = (handler: HandlerName) => functions.get(handler)!.fn;
    const site = own(
      await startLocalSite({
        host,
        bucketName: `${prefix}site`,
        cdn,
        onObjectCreated: () => asObjectCreatedFunction(fnOf('invalidate-cdn')),
        retry,
        deadLetters,
        log,
      }),
      (s) => s.stop(),
    );
    functions = startHandlerFunctions(app, site.store);
    const bus = own(
      await startLocalEventBus({
        rules: busRoutes(topology).map((route) => ({
          name: `${route.handler}-rule`,
          pattern: rulePatternFor(route),
          target: asBusFunction(fnOf(route.handler as HandlerName)),
        })),
        retry,
        deadLetters,
        log,
      }),
      (b) => b.stop(),
    );
    busEndpoint = bus.endpoint;
    const fanout = localFunction('fanout', app.fanoutFunction({ attempts: 3, baseDelayMs: 50 }));

    // 4. Event source mappings: the event table's stream routes (filtered) and the fan-out; the read-model routes.
    const eventMappings: EventSourceMapping[] = [
      ...streamRoutes(topology).map((route) =>
        createEventSourceMapping({
          fn: asStreamFunction(fnOf(route.handler as HandlerName)),
          filter: (record) => matchesStreamFilter(streamFilterFor(route), record),
          ...(route.batching
            ? { batchSize: route.batching.batchSize, parallelizationFactor: route.batching.parallelizationFactor }
            : {}),
          // The route's own retry count, as on AWS, unless a stack is told otherwise (tests that exhaust it).
          retry:
            options.retry ?? (route.batching ? { ...retry, maxAttempts: route.batching.retryAttempts + 1 } : retry),
          deadLetters,
          log,
          // Injected faults do not reach the recorder: it has its own dependencies, as AWS's decide-failures does.
          onExhausted: (records, error) =>
            recordFailedCommands(app.handlerDependencies(route), route.handler, records, error),
        }),
      ),
      createEventSourceMapping({
        fn: fanout,
        filter: (record) => record.eventName === 'INSERT',
        batchSize: 100,
        retry,
        deadLetters,
        log,
      }),
    ];
    const readModelWindow =
      options.readModelBatchingWindowMs === undefined ? {} : { batchingWindowMs: options.readModelBatchingWindowMs };
    const readModelMappings = readModelStreamRoutes(topology).map((route) =>
      readModelStreamMapping(route, asStreamFunction(fnOf(route.handler as HandlerName)), {
        ...readModelWindow,
        retry,
        deadLetters,
        log,
      }),
    );
    const render = asStreamFunction(fnOf('render-homepage'));
    await publishHomepage(site, render);

    // 5. The streams, read as Lambda reads them. A write some handler on a mutation's path waits for
    // (a command, what the bus forwards) wakes the event stream's poller at once.
    const pollers: Followed[] = [];
    const follow = async (
      table: string,
      mappings: readonly EventSourceMapping[],
      backoff: { firstMs: number; maxMs: number },
    ) => {
      const poller = own(
        startStreamPoller({
          client: streams,
          streamArn: await streamArnOf(dynamodbClient, table),
          backoff,
          log,
          onRecords: (records) => {
            mappings.forEach((m) => m.enqueue(records));
            return Promise.resolve();
          },
        }),
        (p) => p.stop(),
      );
      pollers.push({ poller, table });
      return poller;
    };
    const awaitedTypes = new Set([
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
    const mappings = [...eventMappings, ...readModelMappings];
    const settler = createSettler({
      pollers,
      mappings,
      invokers: [
        { via: 'bus', invoker: bus },
        { via: 'S3 notification', invoker: site.notifications },
      ],
      isPaused: (name) =>
        [fanout, ...[...functions.values()].map(({ fn }) => fn)].some((fn) => fn.name === name && fn.paused),
    });
    // Stopping: after the pollers, let in-flight deliveries finish (bounded) before connections close.
    cleanup.push(() => withDeadline(settler.drain(), 5000, 'draining in-flight deliveries'));
    const eventStream = await follow(tables.events, eventMappings, { firstMs: 25, maxMs: pollIdleMs });
    wakeEventStream = () => eventStream.wake();
    // Its consumers gather changes over a batching window: a slower backoff and no wake-ups add nothing they would
    // notice.
    await follow(tables.readModels, readModelMappings, { firstMs: Math.min(100, pollIdleMs), maxMs: pollIdleMs });

    // 6. GraphQL over HTTP through the Lambda handler; the playground; the site's edge (its /graphql carries the
    // origin secret).
    const graphql = localFunction(
      'graphql',
      app.graphqlFunction(app.graphqlContext({ ackMs: 1000 }), {
        allowedOrigins: [site.bucket.origin, site.bucket.origin.replace('127.0.0.1', 'localhost')],
      }),
      { concurrency: 1000 },
    );
    const playground = createPlayground('/graphql');
    const streamFunctions = new Map<string, StreamLocalFunction>([['fanout', fanout]]);
    for (const route of [...streamRoutes(topology), ...readModelStreamRoutes(topology)])
      streamFunctions.set(route.handler, asStreamFunction(fnOf(route.handler as HandlerName)));
    const asyncFunctions = new Map(
      [...functions].filter(([name]) => !streamFunctions.has(name)).map(([name, { fn }]) => [name as string, fn]),
    );
    const gateway = own(
      await startHttpGateway({
        host,
        port: options.port ?? 4000,
        routes: {
          // Browsers opening the API get the offline playground instead of Apollo's CDN-hosted landing page.
          '/graphql': (event) => (wantsPage(event) ? playground.routes[PLAYGROUND_PATH]!() : graphql.invoke(event)),
          ...playground.routes,
          [DEAD_LETTERS_PATH]: deadLetterRoute(deadLetters, redeliverer(streamFunctions, asyncFunctions)),
        },
        log,
      }),
      (g) => g.stop(),
    );
    const edge = own(
      await startLocalEdge({
        host,
        port: options.sitePort ?? 0,
        siteUrl: site.bucket.websiteUrl,
        apiUrl: `${gateway.url}/graphql`,
        originSecret,
      }),
      (e) => e.stop(),
    );

    const handlers = Object.fromEntries(
      [...streamRoutes(topology), ...busRoutes(topology)].map((route) => [
        route.handler,
        controlsOf(functions.get(route.handler as HandlerName)!),
      ]),
    ) as Record<'decide' | BusHandlerName, HandlerControls>;
    return {
      graphqlUrl: `${gateway.url}/graphql`,
      deadLettersUrl: `${gateway.url}${DEAD_LETTERS_PATH}`,
      playgroundUrl: `${gateway.url}${PLAYGROUND_PATH}`,
      homepageUrl: edge.url,
      site,
      renderer: render,
      fanout,
      bus,
      dynamodbEndpoint: dynamodb.endpoint,
      ...(dynamodb.pid ? { dynamodbPid: dynamodb.pid } : {}),
      redisUrl: redis.url,
      redisMode,
      eventBusEndpoint: bus.endpoint,
      tables,
      namespace: settings.notifyNamespace,
      handlers,
      deadLetters,
      dynamodbFaults,
      dynamodbCalls,
      inFlight: () => settler.inFlight(),
      settled: (settleOptions) => settler.settled(settleOptions),
      resetControls: () => {
        for (const controls of Object.values(handlers)) controls.reset();
        render.resume();
        fanout.resume();
        dynamodbFaults.clear();
        bus.faults.acceptEntries();
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Redis: the one at `url` (started when it is local and down), or a private 3-node cluster. */
async function startRedis(url: string | undefined, mode: RedisMode) {
  if (mode === 'single') return ensureRedis(url ?? 'redis://127.0.0.1:6379');
  return url ? { url, started: false, stop: () => Promise.resolve() } : startRedisCluster();
}

async function streamArnOf(client: DynamoDBClient, table: string): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  if (!Table?.LatestStreamArn) throw new Error(`table ${table} has no stream`);
  return Table.LatestStreamArn;
}

/** The environment a Lambda of this stack would have: its resources, then the options given as variables. */
function localEnvironment(
  options: LocalStackOptions,
  parts: { tables: TableNames; prefix: string; redis: { url: string }; redisMode: RedisMode; originSecret: string },
): Environment {
  const defined = (entries: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
  return {
    ...options.environment,
    EVENT_TABLE_NAME: parts.tables.events,
    READ_MODEL_TABLE_NAME: parts.tables.readModels,
    SITE_BUCKET_NAME: `${parts.prefix}site`,
    DISTRIBUTION_ID: LOCAL_DISTRIBUTION_ID,
    EVENT_BUS_NAME: 'visitplannr-local',
    REDIS_URL: parts.redis.url,
    REDIS_MODE: parts.redisMode,
    ORIGIN_SECRETS: parts.originSecret,
    ENABLE_DEVELOPER_TOOLS: 'true',
    ...defined({
      NOTIFY_NAMESPACE: options.namespace,
      MUTATION_DEADLINE_MS: options.mutationDeadlineMs?.toString(),
      LOG_LEVEL: options.logLevel,
      ANON_PROPOSALS_PER_VISITOR: options.proposalLimits?.perVisitor.toString(),
      ANON_PROPOSALS_GLOBAL: options.proposalLimits?.global.toString(),
      ANON_PROPOSAL_WINDOW_SECONDS: options.proposalLimits?.windowSeconds.toString(),
    }),
    ...(options.auth ? authEnvironment(options.auth) : {}),
  };
}

function authEnvironment(auth: AuthOptions): Environment {
  switch (auth.mode) {
    case 'none':
      return { AUTH_MODE: 'none' };
    case 'api-key':
      return { AUTH_MODE: 'api-key', API_KEY_SHA256: auth.apiKeyDigests.join(',') };
    case 'jwt':
      return { AUTH_MODE: 'jwt', JWT_JWKS_URL: auth.jwksUrl, JWT_ISSUER: auth.issuer, JWT_AUDIENCE: auth.audience };
  }
}
