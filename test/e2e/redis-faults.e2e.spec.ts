/**
 * Redis stopped in the middle of a run, then restarted on the same port: every mutation
 * still answers (from the durable command outcome while Redis is away, or CommandPending
 * at the deadline on a loaded machine, its command then accepted), the API's
 * subscriber and the handlers' publisher reconnect by themselves, and nothing is lost.
 * The stack talks to its own redis-server, which this test stops and starts.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationChannel } from '../../src/shell/redis/channels.js';
import { type RunningRedis, startRedisServer } from '../../local/redis.js';
import type { LocalStack } from '../../local/stack.js';
import { eventually } from '../support/eventually.js';
import { startTestStack } from '../support/stack.js';
import { scanAll } from '../support/tables.js';
import { gql, PROPOSE } from './client.js';

let redis: RunningRedis;
let port: number;
let stack: LocalStack;

beforeAll(async () => {
  redis = await startRedisServer();
  port = Number(new URL(redis.url).port);
  stack = await startTestStack({ redisUrl: redis.url, mutationDeadlineMs: 5000 });
});
afterAll(async () => {
  await stack?.stop();
  await redis?.stop();
});

const proposeMany = (prefix: string, count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      gql(stack.graphqlUrl, PROPOSE, { input: { name: `${prefix} ${i}`, latitude: 40 + i, longitude: 10 + i } }),
    ),
  );

describe('Redis stopped mid-run, then restarted', () => {
  it('answers every mutation, reconnects by itself, and loses nothing', async () => {
    const answers = [...(await proposeMany('Before', 8))];

    // Stop Redis while proposals are in flight.
    const during = proposeMany('During', 8);
    await redis.stop();
    answers.push(...(await during), ...(await proposeMany('Down', 8)));

    // Restart on the same port; the stack is not told.
    redis = await startRedisServer({ port });
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      // The handlers' publisher and the API's subscriber come back by themselves.
      await eventually(
        async () => {
          const clients = String(await probe.client('LIST'));
          return (
            clients.includes('name=visitplannr-publisher') && clients.includes('name=visitplannr-graphql-subscriber')
          );
        },
        { what: 'both stack connections back' },
      );
      // A mutation in flight subscribes its channel on the new server, and the handlers publish to it again.
      const heard: string[] = [];
      const listener = probe.duplicate();
      await listener.psubscribe(`${stack.namespace}:command:*`);
      listener.on('pmessage', (_pattern, channel) => heard.push(channel));
      const channels = async () => (await probe.pubsub('CHANNELS', `${stack.namespace}:command:*`)) as string[];
      // Channels of requests that ended while Redis was away are unsubscribed once it is back.
      await eventually(async () => (await channels()).length === 0, { what: 'no idle channels left subscribed' });
      stack.handlers.decide.pause();
      const pending = gql(stack.graphqlUrl, PROPOSE, {
        input: { name: 'After restart', latitude: 52.52, longitude: 13.4 },
      });
      const channel = await eventually(async () => (await channels())[0], {
        what: 'the in-flight mutation subscribed',
      });
      stack.handlers.decide.resume();
      const after = await pending;
      answers.push(after);
      expect(channel).toBe(notificationChannel(stack.namespace, after.data?.['proposeDestination'].correlationId));
      await eventually(() => heard.includes(channel), { what: 'the decider published' });
      listener.disconnect();
    } finally {
      stack.handlers.decide.resume();
      probe.disconnect();
    }
    answers.push(...(await proposeMany('After', 8)));

    // Every mutation answered: with its destination, or (on a loaded machine) CommandPending at the deadline.
    expect(answers).toHaveLength(33);
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(['DestinationProposed', 'CommandPending']).toContain(answer.data?.['proposeDestination'].__typename);
    }
    // Nothing lost, nothing doubled: each command accepted, with one decision and one read model.
    // Audited until it holds (settled() can come back before a slow poll on a loaded machine).
    const audit = async (): Promise<string[]> => {
      const events = await scanAll(stack.dynamodbEndpoint, stack.tables.events);
      const readModels = await scanAll(stack.dynamodbEndpoint, stack.tables.readModels);
      const problems: string[] = [];
      if (new Set(events.map((item) => item['eventId'])).size !== events.length)
        problems.push('an event id appears twice');
      for (const answer of answers) {
        const { correlationId, destination } = answer.data?.['proposeDestination'];
        const status = await gql(
          stack.graphqlUrl,
          `{ commandStatus(correlationId: "${correlationId}") { state destinationId } }`,
        );
        const { state, destinationId } = status.data?.['commandStatus'] ?? {};
        if (state !== 'ACCEPTED') problems.push(`${correlationId}: ${state}`);
        if (destination && destination.id !== destinationId)
          problems.push(`${correlationId}: answered ${destination.id}, decided ${destinationId}`);
        const count = (type: string) =>
          events.filter((item) => item['correlationId'] === correlationId && item['type'] === type).length;
        if (count('DestinationProposed') !== 1)
          problems.push(`${correlationId}: ${count('DestinationProposed')} DestinationProposed`);
        if (count('CommandAccepted') !== 1)
          problems.push(`${correlationId}: ${count('CommandAccepted')} CommandAccepted`);
        const views = readModels.filter((item) => item['pk'] === `destination#${destinationId}`).length;
        if (views !== 1) problems.push(`${correlationId}: ${views} read models`);
      }
      return problems;
    };
    await stack.settled();
    expect(await audit()).toEqual([]);
  }, 90_000);
});
