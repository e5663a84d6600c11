/**
 * One time budget per request: the GraphQL function, configured as the Lambda entry
 * configures it (its DynamoDB client's attempts, timeouts and backoff, the request budget,
 * the function timeout derived from them), answers a mutation with a GraphQL answer and a
 * code when DynamoDB is silent or throttling after the deadline, before the function's
 * timeout. Real DynamoDB Local and Redis; nothing processes the commands, so every mutation
 * reaches its deadline and reads the durable outcome.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAuthenticator } from '../../src/shell/auth/authenticator.js';
import { createDocumentClient, createDynamoDBClient } from '../../src/shell/dynamodb/clients.js';
import { createDynamoDBEventStore } from '../../src/shell/dynamodb/event-store.js';
import { createDynamoDBReadModelStore } from '../../src/shell/dynamodb/read-model-store.js';
import { applyRequestBudget, budgetedClientConfig } from '../../src/shell/dynamodb/request-budget.js';
import { createGraphQLFunction } from '../../src/shell/graphql/server.js';
import { graphqlFunctionTimeoutMs, withMutationDeadline } from '../../src/shell/graphql/time-budget.js';
import { type DynamoDBFaultInjector, injectDynamoDBFaults } from '../../local/dynamodb-faults.js';
import { EMULATOR_AWS } from '../../src/shell/dynamodb/clients.js';
import { ensureTables, tableNames } from '../../local/create-tables.js';
import { connectRedis, type RedisConnection } from '../../src/shell/redis/connection.js';
import { createRedisAnswerLog } from '../../src/shell/redis/answer-log.js';
import { createRedisSubscriber } from '../../src/shell/redis/subscriber.js';
import { writePathTracing } from '../../src/shell/telemetry/index.js';
import { PROPOSE } from '../e2e/client.js';
import { postToFunction } from '../support/lambda-http.js';
import { scanAll } from '../support/tables.js';
import { silentLog } from '../support/stores.js';

// A short deadline keeps the test short; the arithmetic is the one the stack deploys.
const budget = withMutationDeadline(1000);
const functionTimeoutMs = graphqlFunctionTimeoutMs(budget);

let faults: DynamoDBFaultInjector;
let redis: RedisConnection;
let commands: RedisConnection;
let tables: ReturnType<typeof tableNames>;
let handler: ReturnType<typeof createGraphQLFunction>;

beforeAll(async () => {
  const client = createDynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    ...EMULATOR_AWS,
    ...budgetedClientConfig(budget.dynamodb),
  });
  applyRequestBudget(client);
  faults = injectDynamoDBFaults(client);
  tables = tableNames(`t${randomUUID().slice(0, 8)}-`);
  await ensureTables(client, tables);
  const documents = createDocumentClient(client);
  redis = connectRedis(inject('redisUrl'), 'budget-subscriber', silentLog, 'single', { subscriber: true });
  commands = connectRedis(inject('redisUrl'), 'budget-commands', silentLog);
  const namespace = `budget-${randomUUID()}`;
  handler = createGraphQLFunction(
    {
      eventStore: createDynamoDBEventStore({
        client: documents,
        tableName: tables.events,
        readModelTableName: tables.readModels,
      }),
      readModels: createDynamoDBReadModelStore({ client: documents, tableName: tables.readModels }),
      notifications: createRedisSubscriber({ redis, namespace, ackTimeoutMs: budget.subscribeAckMs }),
      answers: createRedisAnswerLog({
        redis: commands,
        namespace,
        recordTimeoutMs: budget.answerRecordMs,
        readTimeoutMs: 500,
      }),
      clock: () => new Date().toISOString(),
      newId: randomUUID,
      mutationDeadlineMs: budget.mutationDeadlineMs,
      outcomePollIntervalMs: 200,
      log: { info: () => undefined, warn: () => undefined },
      tracing: writePathTracing,
    },
    { developerTools: false, authenticate: createAuthenticator({ mode: 'none' }), answerMarginMs: budget.marginMs },
  );
});
afterEach(() => faults.clear());
afterAll(() => Promise.all([redis?.quit(), commands?.quit()]));

/** Invokes within the function's timeout; a timeout would reject here and fail the test. */
async function propose(name: string, timeoutMs = functionTimeoutMs) {
  const response = await postToFunction(
    handler,
    { query: PROPOSE, variables: { input: { name, latitude: 50.85, longitude: 4.35 } } },
    { timeoutMs },
  );
  const body = JSON.parse(response.text || '{}') as {
    data?: { proposeDestination?: { __typename: string; correlationId?: string } } | null;
    errors?: { extensions?: Record<string, unknown> }[];
  };
  return { status: response.status, body };
}

const commandsNamed = async (name: string) =>
  (await scanAll(inject('dynamodbEndpoint'), tables.events)).filter(
    (item) => (item['data'] as { name?: string } | undefined)?.name === name,
  );

describe('one time budget per request (DynamoDB faults after the mutation deadline)', () => {
  it('an unprocessed command answers CommandPending at its deadline', async () => {
    const { status, body } = await propose('Pending');
    expect(status).toBe(200);
    expect(body.data?.proposeDestination?.__typename).toBe('CommandPending');
  });

  // Once the command is stored it goes on without the request: a retryable error would invite a
  // caller without a key to propose again, so the answer is CommandPending, to be followed.
  it('DynamoDB silent after the write (every attempt ends at its request timeout): CommandPending for the stored command, within the function timeout', async () => {
    faults.inject({ operation: 'GetItem', fault: 'no-response', count: 1000 });
    const before = faults.raised['GetItem'] ?? 0;
    const { status, body } = await propose('Silent');
    expect(status).toBe(200);
    expect(body.data?.proposeDestination).toMatchObject({ __typename: 'CommandPending' });
    // The client gave up after its own attempts, not after more.
    expect((faults.raised['GetItem'] ?? 0) - before).toBe(budget.dynamodb.maxAttempts);
    const stored = await commandsNamed('Silent');
    expect(stored).toHaveLength(1);
    expect(stored[0]!['correlationId']).toBe(body.data?.proposeDestination?.correlationId);
  });

  it('DynamoDB throttling after the write through every retry: CommandPending for the stored command', async () => {
    faults.inject({ operation: 'GetItem', fault: 'throttling', count: 1000 });
    const { status, body } = await propose('Throttled');
    expect(status).toBe(200);
    expect(body.data?.proposeDestination).toMatchObject({ __typename: 'CommandPending' });
    expect(await commandsNamed('Throttled')).toHaveLength(1);
  });

  it('the command write never answered: SERVICE_UNAVAILABLE naming the command, and nothing stored', async () => {
    faults.inject({ operation: 'PutItem', fault: 'no-response', count: 1000 });
    const { status, body } = await propose('Unwritten');
    expect(status).toBe(200);
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      retryable: true,
      correlationId: expect.stringMatching(/\S/),
    });
    expect(await commandsNamed('Unwritten')).toEqual([]);
  });

  it('whatever the resolver still has to do, the request budget ends its DynamoDB waits before a shorter function timeout', async () => {
    faults.inject({ operation: 'GetItem', fault: 'no-response', count: 1000 });
    // Room for the deadline and less than one silent read through its attempts: only the request
    // budget can answer in time.
    const shortTimeoutMs =
      budget.mutationDeadlineMs + budget.subscribeAckMs + budget.marginMs + budget.dynamodb.requestTimeoutMs;
    const before = faults.raised['GetItem'] ?? 0;
    const { status, body } = await propose('Cut short', shortTimeoutMs);
    expect(status).toBe(200);
    expect(body.data?.proposeDestination).toMatchObject({ __typename: 'CommandPending' });
    expect((faults.raised['GetItem'] ?? 0) - before).toBeLessThan(budget.dynamodb.maxAttempts);
  });
});
