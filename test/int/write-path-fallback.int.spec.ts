/**
 * The write path when notifications fail: the durable command outcome answers. Real
 * DynamoDB Local stores and the real Redis publisher and subscriber: pointed at a port
 * nobody listens on (Redis down), or with the publish lost on the way.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerLog, NotificationPublisher, NotificationSubscriber } from '../../src/ports/index.js';
import type { GraphQLContext } from '../../src/resolvers/context.js';
import { proposeDestination } from '../../src/resolvers/propose-destination.js';
import { decide } from '../../src/handlers/decide.js';
import { runHandler } from '../../src/shell/runner/run-handler.js';
import { writePathTracing } from '../../src/shell/telemetry/index.js';
import { eventually } from '../support/eventually.js';
import { droppingPublisher, realNotifier, unreachableNotifier } from '../support/notifications.js';
import { freshStores, silentLog } from '../support/stores.js';

const NOW = '2026-11-24T10:00:00.000Z';
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

async function setup(
  notifier: { subscriber: NotificationSubscriber; answers: AnswerLog },
  publisher: NotificationPublisher,
  deadlineMs: number,
) {
  const { eventStore, readModels } = await freshStores();
  let correlationId = '';
  const context: GraphQLContext = {
    eventStore,
    readModels,
    notifications: notifier.subscriber,
    answers: notifier.answers,
    clock: () => NOW,
    newId: () => (correlationId = randomUUID()),
    mutationDeadlineMs: deadlineMs,
    outcomePollIntervalMs: 50,
    log: { info: () => undefined, warn: () => undefined },
    tracing: writePathTracing,
  };
  /** The decider, run by hand once the command is in the table (it writes the view with its decision). */
  const decideOnceWritten = async () => {
    const command = await eventually(() => correlationId !== '' && eventStore.readCommand(correlationId), {
      what: 'the command written',
    });
    await runHandler(decide, command, { eventStore, readModels, publisher, clock: () => NOW, log: silentLog });
    return command;
  };
  return { context, decideOnceWritten };
}

describe('write path without notifications (DynamoDB Local, real Redis clients)', () => {
  it('polls the durable outcome when Redis cannot be reached, and answers long before the deadline', async () => {
    const down = await unreachableNotifier();
    cleanup.push(() => down.close());
    // A deadline the test never reaches: an answer at all comes from polling the outcome.
    const { context, decideOnceWritten } = await setup(down, down.publisher, 10 * 60_000);
    const [result, command] = await Promise.all([
      proposeDestination(context, { name: 'Porto', latitude: 41.15, longitude: -8.61 }),
      decideOnceWritten(),
    ]);
    expect(result).toMatchObject({
      __typename: 'DestinationProposed',
      correlationId: command.correlationId,
      destination: { name: 'Porto', status: 'PROPOSED' },
    });
    // The request's receipt and the write's time travel in the command itself, in that order.
    expect(command.receivedAt! <= command.time).toBe(true);
    // Its answer could not be recorded (the cache is the one that is away): answered all the same.
    await expect(down.answers.read(command.correlationId)).rejects.toThrow();
  });

  it('answers from the database at the deadline when the notification is lost', async () => {
    const redis = await realNotifier();
    cleanup.push(() => redis.close());
    const lost = droppingPublisher();
    const { context, decideOnceWritten } = await setup(redis, lost, 600);
    const [result, command] = await Promise.all([
      proposeDestination(context, { name: 'Braga', latitude: 41.55, longitude: -8.42 }),
      decideOnceWritten(),
    ]);
    expect(result).toMatchObject({ __typename: 'DestinationProposed', destination: { name: 'Braga' } });
    expect(await redis.answers.read(command.correlationId)).toEqual({
      at: expect.any(String),
      how: 'DURABLE_OUTCOME',
      reflects: 'DECIDED',
    });
    // The decider did answer; the answer never reached Redis.
    expect(lost.dropped).toEqual([
      {
        type: 'Projected',
        correlationId: command.correlationId,
        step: 'PROPOSED',
        destination: expect.objectContaining({ name: 'Braga' }),
      },
    ]);
    expect(await redis.published()).toEqual([]);
  });

  it('answers CommandPending at the deadline when nothing has decided the command', async () => {
    const redis = await realNotifier();
    cleanup.push(() => redis.close());
    const { context } = await setup(redis, redis.publisher, 100);
    const pending = await proposeDestination(context, { name: 'Faro', latitude: 37.02, longitude: -7.93 });
    expect(pending).toMatchObject({ __typename: 'CommandPending' });
    expect(await redis.answers.read(pending.correlationId)).toMatchObject({ how: 'PENDING', reflects: null });
  });
});
