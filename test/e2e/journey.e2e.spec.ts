/**
 * `commandStatus { journey }` against the local stack: every step a proposal takes, read back
 * from what the stack stored (the command, its outcome, the geolocation event, the recent
 * list's stamp, the publication history, the answer log), through the SDK.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, GraphQLRequestError, type JourneyStep, type JourneyStepName } from '@visitplannr/sdk';
import { type RunningRedis, startRedisServer } from '../../local/redis.js';
import type { LocalStack } from '../../local/stack.js';
import { createDocumentClient, createDynamoDBClient, EMULATOR_AWS } from '../../src/shell/dynamodb/clients.js';
import { createDynamoDBEventStore } from '../../src/shell/dynamodb/event-store.js';
import { buildCommand } from '../../src/resolvers/propose-destination.js';
import { freePort } from '../../local/net.js';
import { runCli } from '../support/cli.js';
import { eventually } from '../support/eventually.js';
import { startTestStack, useTestStack } from '../support/stack.js';

// Generous, so a loaded machine still answers from the notification; the pending case waits it out.
const DEADLINE_MS = 4000;
const stack = useTestStack({ mutationDeadlineMs: DEADLINE_MS, retry: { maxAttempts: 2, baseDelayMs: 50 } });
const client = () => createClient({ url: stack.graphqlUrl, timeoutMs: 20_000 });

const journeyOf = async (correlationId: string, of: LocalStack = stack): Promise<JourneyStep[]> =>
  (await createClient({ url: of.graphqlUrl, timeoutMs: 20_000 }).commandJourney(correlationId))?.journey ?? [];
const names = (journey: readonly JourneyStep[]) => journey.map((step) => step.step);
const stepOf = (journey: readonly JourneyStep[], name: JourneyStepName) => journey.find((step) => step.step === name);

/** One clock here: causal order is time order, and nothing comes before RECEIVED. */
function expectInCausalOrder(journey: readonly JourneyStep[]): void {
  expect(journey[0]?.step).toBe('RECEIVED');
  for (const [i, step] of journey.entries()) {
    expect(step.sinceReceivedMs, step.step).toBeGreaterThanOrEqual(0);
    expect(step.sinceReceivedMs).toBe(Date.parse(step.at) - Date.parse(journey[0]!.at));
    if (i > 0) expect(step.at >= journey[i - 1]!.at, `${journey[i - 1]!.step} → ${step.step}`).toBe(true);
  }
  const position = (name: JourneyStepName) => names(journey).indexOf(name);
  const before = (cause: JourneyStepName, effect: JourneyStepName) => {
    if (position(cause) >= 0 && position(effect) >= 0)
      expect(position(cause), `${cause} → ${effect}`).toBeLessThan(position(effect));
  };
  before('COMMAND_WRITTEN', 'DECIDED');
  before('DECIDED', 'LOCATION_CHECKED');
  before('DECIDED', 'PROJECTED');
  before('PROJECTED', 'PAGE_PUBLISHED');
  before('PAGE_PUBLISHED', 'CDN_INVALIDATED');
}

describe('the journey of a proposal', () => {
  it('given an accepted proposal, then every step is there in causal order, answered by the notification', async () => {
    const answer = await client().proposeDestination({ name: 'Bruges', latitude: 51.21, longitude: 3.22 });
    expect(answer.__typename).toBe('DestinationProposed');
    await stack.settled();
    const journey = await eventually(
      async () => {
        const steps = await journeyOf(answer.correlationId);
        return steps.some((step) => step.step === 'CDN_INVALIDATED') && steps;
      },
      { what: 'the journey to reach the CDN' },
    );
    expect([...names(journey)].sort()).toEqual(
      [
        'RECEIVED',
        'COMMAND_WRITTEN',
        'DECIDED',
        'ANSWERED',
        'LOCATION_CHECKED',
        'PROJECTED',
        'PAGE_PUBLISHED',
        'CDN_INVALIDATED',
      ].sort(),
    );
    expectInCausalOrder(journey);
    // It answered PROPOSED from the decider's notification.
    expect(stepOf(journey, 'ANSWERED')).toMatchObject({ handler: 'graphql', how: 'NOTIFICATION' });
    expect(names(journey).indexOf('DECIDED')).toBeLessThan(names(journey).indexOf('ANSWERED'));
    expect(journey.map((step) => [step.step, step.handler])).toEqual(
      expect.arrayContaining([
        ['DECIDED', 'decide'],
        ['LOCATION_CHECKED', 'validate-geolocation'],
        ['PROJECTED', 'project-recent'],
        ['PAGE_PUBLISHED', 'render-homepage'],
        ['CDN_INVALIDATED', 'invalidate-cdn'],
      ]),
    );
    // The page it names is one the bucket was written with, showing the destination.
    const page = await (await fetch(new URL('index.html', stack.site.bucket.websiteUrl))).text();
    expect(page).toContain('Bruges');

    // The same journey as an operator sees it at a terminal: one line per step, in this order.
    const cli = await runCli('src/shell/ops/journey-cli.ts', [answer.correlationId], { GRAPHQL_URL: stack.graphqlUrl });
    expect(cli.code, cli.stderr).toBe(0);
    const lines = cli.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      `journey of ${answer.correlationId} (ACCEPTED): 8 steps over ${stepOf(journey, 'CDN_INVALIDATED')!.sinceReceivedMs.toLocaleString('en-US')} ms`,
    );
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(names(journey));
    expect(lines.find((line) => line.startsWith('ANSWERED'))).toMatch(/graphql \(NOTIFICATION\)\s+\+\d[\d,]* ms +█+$/);
  });

  it('given a proposal left pending at the deadline, then it was answered PENDING, and the decision follows once made', async () => {
    stack.handlers.decide.pause();
    let correlationId: string;
    try {
      const answer = await client().proposeDestination({ name: 'Namur', latitude: 50.47, longitude: 4.87 });
      expect(answer.__typename).toBe('CommandPending');
      correlationId = answer.correlationId;
      const journey = await journeyOf(correlationId);
      expect(journey.map((step) => [step.step, step.how])).toEqual([
        ['RECEIVED', null],
        ['COMMAND_WRITTEN', null],
        ['ANSWERED', 'PENDING'],
      ]);
      expect(stepOf(journey, 'ANSWERED')!.sinceReceivedMs).toBeGreaterThanOrEqual(DEADLINE_MS);
    } finally {
      stack.handlers.decide.resume();
    }
    await stack.settled();
    const decided = await journeyOf(correlationId);
    expect(names(decided).slice(0, 4)).toEqual(['RECEIVED', 'COMMAND_WRITTEN', 'ANSWERED', 'DECIDED']);
    expectInCausalOrder(decided);
  });

  it('given a command the decider rejects, then its journey ends at DECIDED', async () => {
    // The API refuses invalid input before storing anything; a command the decider rejects is
    // one an API with looser rules wrote (a rolling deploy): written here as it would have.
    const events = createDynamoDBEventStore({
      client: createDocumentClient(createDynamoDBClient({ endpoint: stack.dynamodbEndpoint, ...EMULATOR_AWS })),
      tableName: stack.tables.events,
      readModelTableName: stack.tables.readModels,
    });
    const correlationId = randomUUID();
    const receivedAt = new Date().toISOString();
    await events.appendCommand(
      buildCommand(
        { name: '\tTabbed', latitude: 50.85, longitude: 4.35 },
        correlationId,
        new Date().toISOString(),
        receivedAt,
      ),
    );
    await stack.settled();
    const status = await client().commandJourney(correlationId);
    expect(status?.state).toBe('REJECTED');
    expect(status?.journey.map((step) => [step.step, step.handler])).toEqual([
      ['RECEIVED', 'graphql'],
      ['COMMAND_WRITTEN', 'graphql'],
      ['DECIDED', 'decide'],
    ]);
    // Refused by the API itself: nothing stored, so no journey either.
    const refused = await client().proposeDestination({ name: '\tTabbed', latitude: 50.85, longitude: 4.35 });
    expect(refused.__typename).toBe('ProposalRejected');
    expect(await client().commandJourney(refused.correlationId)).toBeNull();
  });

  it('given a command that fails for good, then it was answered by the failure notice and DECIDED follows', async () => {
    stack.handlers.decide.failNext(2); // maxAttempts is 2 in this stack
    const failure = await client()
      .proposeDestination({ name: 'Mons', latitude: 50.45, longitude: 3.95 })
      .then(
        () => null,
        (error: unknown) => error,
      );
    if (!(failure instanceof GraphQLRequestError)) throw new Error(`expected HANDLER_FAILED, got ${String(failure)}`);
    expect(failure.errors[0]?.extensions).toMatchObject({ code: 'HANDLER_FAILED', handler: 'decide' });
    const correlationId = failure.errors[0]?.extensions?.['correlationId'] as string;
    await stack.settled();
    const status = await client().commandJourney(correlationId);
    expect(status?.state).toBe('FAILED');
    expect(status?.journey.map((step) => [step.step, step.how])).toEqual([
      ['RECEIVED', null],
      ['COMMAND_WRITTEN', null],
      ['ANSWERED', 'NOTIFICATION'],
      ['DECIDED', null],
    ]);
  });
});

describe('npm run journey', () => {
  it('given an unknown correlation id, or no API at all, then it says so and exits 1', async () => {
    const unknown = await runCli('src/shell/ops/journey-cli.ts', ['no-such-command'], {
      GRAPHQL_URL: stack.graphqlUrl,
    });
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain(`no command with correlation id no-such-command at ${stack.graphqlUrl}`);

    const nowhere = `http://127.0.0.1:${await freePort()}/graphql`;
    const down = await runCli('src/shell/ops/journey-cli.ts', ['no-such-command'], { GRAPHQL_URL: nowhere });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain(`no API answers at ${nowhere}`);
    expect(down.stderr).toContain('npm start');

    expect((await runCli('src/shell/ops/journey-cli.ts', [])).code).toBe(2);
  });
});

describe('the journey when notifications are lost', () => {
  let redis: RunningRedis;
  let quiet: LocalStack;
  let admin: Redis;
  beforeAll(async () => {
    // Its own redis-server: the test takes PUBLISH away from every client of it.
    redis = await startRedisServer();
    quiet = await startTestStack({ redisUrl: redis.url, mutationDeadlineMs: 1500 });
    admin = new Redis(redis.url);
    // The handlers' notifications are refused; subscriptions and the answer log still work.
    await admin.call('ACL', 'SETUSER', 'default', '-publish');
  });
  afterAll(async () => {
    admin?.disconnect();
    await quiet?.stop();
    await redis?.stop();
  });

  it('given the notification never comes, then the answer came from the durable outcome at the deadline', async () => {
    const answer = await createClient({ url: quiet.graphqlUrl, timeoutMs: 20_000 }).proposeDestination({
      name: 'Leuven',
      latitude: 50.88,
      longitude: 4.7,
    });
    expect(answer.__typename).toBe('DestinationProposed');
    const journey = await journeyOf(answer.correlationId, quiet);
    expect(stepOf(journey, 'ANSWERED')).toMatchObject({ how: 'DURABLE_OUTCOME' });
    expect(stepOf(journey, 'ANSWERED')!.sinceReceivedMs).toBeGreaterThanOrEqual(1500);
    expectInCausalOrder(journey);
  });
});
