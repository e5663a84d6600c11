/**
 * The write path when notifications fail: the durable command outcome answers. Real
 * DynamoDB Local stores; the notification side is replaced by a broken or silent one.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProposeDestination } from '../../src/domain/messages.js';
import type { NotificationSubscriber } from '../../src/ports/index.js';
import type { GraphQLContext } from '../../src/resolvers/context.js';
import { proposeDestination } from '../../src/resolvers/propose-destination.js';
import { runDecide } from '../../src/shell/flows/decide.js';
import type { FlowDependencies } from '../../src/shell/flows/dependencies.js';
import { freshStores, silentLog } from '../support/stores.js';

const NOW = '2026-11-24T10:00:00.000Z';

async function setup(notifications: NotificationSubscriber, deadlineMs: number) {
  const { eventStore, readModels } = await freshStores();
  const context: GraphQLContext = {
    eventStore,
    readModels,
    notifications,
    clock: () => NOW,
    newId: randomUUID,
    mutationDeadlineMs: deadlineMs,
    outcomePollIntervalMs: 50,
    log: { info: () => undefined, warn: () => undefined },
  };
  // The handlers, run by hand once the command is in the table; their publishes go nowhere.
  const deps: FlowDependencies = { eventStore, readModels, publisher: { publish: async () => undefined }, clock: () => NOW, log: silentLog };
  const handleCommandsLater = async () => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const [command] = await findCommands(context);
    // The decider writes the destination's view with its decision: the answer needs no other handler.
    await runDecide(deps, command!);
  };
  return { context, handleCommandsLater };
}

let lastCorrelationId = '';
const recordingIds = (): (() => string) => () => (lastCorrelationId = randomUUID());
async function findCommands(context: GraphQLContext): Promise<ProposeDestination[]> {
  const command = await context.eventStore.readCommand(lastCorrelationId);
  return command ? [command] : [];
}

describe('write path without notifications (DynamoDB Local)', () => {
  it('polls the durable outcome when Redis cannot be subscribed to, and answers before the deadline', async () => {
    const down: NotificationSubscriber = { subscribe: () => Promise.reject(new Error('ECONNREFUSED')) };
    const { context, handleCommandsLater } = await setup(down, 3000);
    const started = Date.now();
    const [result] = await Promise.all([proposeDestination({ ...context, newId: recordingIds() }, { name: 'Porto', latitude: 41.15, longitude: -8.61 }), handleCommandsLater()]);
    expect(result).toMatchObject({ __typename: 'DestinationProposed', destination: { name: 'Porto' } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers from the database at the deadline when the notification is lost', async () => {
    const silent: NotificationSubscriber = {
      subscribe: async () => ({
        next: async (deadlineAt) => (await new Promise((resolve) => setTimeout(resolve, Math.max(0, deadlineAt - Date.now()))), null),
        close: async () => undefined,
      }),
    };
    const { context, handleCommandsLater } = await setup(silent, 600);
    const [result] = await Promise.all([proposeDestination({ ...context, newId: recordingIds() }, { name: 'Braga', latitude: 41.55, longitude: -8.42 }), handleCommandsLater()]);
    expect(result).toMatchObject({ __typename: 'DestinationProposed', destination: { name: 'Braga' } });
  });

  it('answers CommandPending at the deadline when nothing has decided the command', async () => {
    const silent: NotificationSubscriber = { subscribe: async () => ({ next: async () => null, close: async () => undefined }) };
    const { context } = await setup(silent, 100);
    expect(await proposeDestination(context, { name: 'Faro', latitude: 37.02, longitude: -7.93 })).toMatchObject({ __typename: 'CommandPending' });
  });
});
