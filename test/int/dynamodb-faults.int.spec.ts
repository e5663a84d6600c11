/**
 * The decider under DynamoDB faults injected at its SDK client, on a real stream record:
 * it reports the batch item failure, and its decision and the command's outcome are
 * written together or not at all.
 */
import { describe, expect, it } from 'vitest';
import { createDocumentClient, createDynamoDBClient, DYNAMODB_MAX_ATTEMPTS } from '../../src/shell/dynamodb/clients.js';
import { createDynamoDBEventStore } from '../../src/shell/dynamodb/event-store.js';
import { decide as decideHandler } from '../../src/handlers/decide.js';
import { streamFunction } from '../../src/shell/runner/deliveries.js';
import { EMULATOR_AWS } from '../../src/shell/dynamodb/clients.js';
import { injectDynamoDBFaults } from '../../local/dynamodb-faults.js';
import { NOW, proposeCommand } from '../support/commands.js';
import { realNotifier } from '../support/notifications.js';
import { freshStores, silentLog } from '../support/stores.js';
import { recordStream } from '../support/stream-records.js';

async function decider() {
  const stores = await freshStores();
  // The decider's own client, with faults; the test reads through the stores' clean one.
  const client = createDynamoDBClient({ endpoint: stores.endpoint, ...EMULATOR_AWS });
  const faults = injectDynamoDBFaults(client);
  const eventStore = createDynamoDBEventStore({
    client: createDocumentClient(client),
    tableName: stores.tables.events,
    readModelTableName: stores.tables.readModels,
  });
  const redis = await realNotifier();
  const decide = streamFunction(decideHandler, {
    eventStore,
    readModels: stores.readModels,
    publisher: redis.publisher,
    clock: () => NOW,
    log: silentLog,
  });
  const stream = recordStream(stores);
  return {
    stores,
    faults,
    decide,
    stream,
    published: () => redis.published(),
    stop: async () => (await stream.stop(), client.destroy(), await redis.close()),
  };
}

describe('decide under DynamoDB faults (DynamoDB Local, real stream records)', () => {
  it('reports the batch item failure when every attempt fails, writes neither decision, outcome nor view, and writes all three on redelivery', async () => {
    const sut = await decider();
    const command = proposeCommand('cid-atomic', { name: 'Atomic', latitude: 50.85, longitude: 4.35 });
    await sut.stores.eventStore.appendCommand(command);
    const [record] = await sut.stream.next(1);

    sut.faults.inject({ operation: 'TransactWriteItems', fault: 'throttling', count: DYNAMODB_MAX_ATTEMPTS });
    expect(await sut.decide({ Records: [record!] })).toEqual({
      batchItemFailures: [{ itemIdentifier: record!.dynamodb!.SequenceNumber }],
    });
    expect(sut.faults.raised['TransactWriteItems']).toBe(DYNAMODB_MAX_ATTEMPTS);
    expect(await sut.stores.eventStore.readOutcome('cid-atomic')).toBeNull();
    expect(await sut.stores.eventStore.readStream(`destination-${command.data.destinationId}`)).toEqual([]);
    expect(await sut.stores.readModels.getDestination(command.data.destinationId)).toBeNull();

    expect(await sut.decide({ Records: [record!] })).toEqual({ batchItemFailures: [] });
    expect((await sut.stores.eventStore.readOutcome('cid-atomic'))?.type).toBe('CommandAccepted');
    expect(
      (await sut.stores.eventStore.readStream(`destination-${command.data.destinationId}`)).map((event) => event.type),
    ).toEqual(['DestinationProposed']);
    const view = await sut.stores.readModels.getDestination(command.data.destinationId);
    expect(view).toMatchObject({ name: 'Atomic', version: 1 });
    // The failed delivery told the caller at once; the redelivery answered with the stored view.
    expect(await sut.published()).toEqual([
      { type: 'HandlerFailed', correlationId: 'cid-atomic', handler: 'decide', message: 'processing failed' },
      { type: 'Projected', correlationId: 'cid-atomic', step: 'PROPOSED', destination: view },
    ]);
    await sut.stop();
  }, 20_000);

  it('a response lost after the transaction took effect is success, once: no failure reported, nothing duplicated', async () => {
    const sut = await decider();
    const command = proposeCommand('cid-once', { name: 'Once', latitude: 50.85, longitude: 4.35 });
    await sut.stores.eventStore.appendCommand(command);
    const [record] = await sut.stream.next(1);

    sut.faults.inject({ operation: 'TransactWriteItems', fault: 'lost-response', count: 1 });
    expect(await sut.decide({ Records: [record!] })).toEqual({ batchItemFailures: [] });
    expect(await sut.decide({ Records: [record!] })).toEqual({ batchItemFailures: [] });
    expect((await sut.stores.eventStore.readStream(command.streamId)).map((item) => item.type)).toEqual([
      'ProposeDestination',
      'CommandAccepted',
    ]);
    expect(
      (await sut.stores.eventStore.readStream(`destination-${command.data.destinationId}`)).map((event) => event.type),
    ).toEqual(['DestinationProposed']);
    // Both deliveries told the same answer: the decision, then the stored one again.
    const view = await sut.stores.readModels.getDestination(command.data.destinationId);
    const answer = { type: 'Projected', correlationId: 'cid-once', step: 'PROPOSED', destination: view };
    expect(await sut.published()).toEqual([answer, answer]);
    await sut.stop();
  });
});
