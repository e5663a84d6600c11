/**
 * At-least-once delivery: the same real stream records delivered three times leave
 * exactly the state of one delivery, and out-of-order project deliveries converge.
 */
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../src/domain/notifications.js';
import { buildCommand } from '../../src/resolvers/propose-destination.js';
import type { FlowDependencies } from '../../src/shell/flows/dependencies.js';
import { createDecideFunction } from '../../src/shell/functions/decide.js';
import { busFunctionFactories } from '../../src/shell/functions/handlers.js';
import { LOCAL_AWS } from '../../src/shell/local/dynamodb-local.js';
import { startStreamPoller } from '../../src/shell/local/stream-poller.js';
import { refreshRecent } from '../../src/shell/flows/project.js';
import { freshStores, silentLog } from '../support/stores.js';
import { EVENT_SOURCE } from '../../src/topology/topology.js';
import { unmarshall } from '@aws-sdk/util-dynamodb';

const NOW = '2026-11-24T10:00:00.000Z';

async function systemUnderTest() {
  const stores = await freshStores();
  const published: Notification[] = [];
  const deps: FlowDependencies = {
    eventStore: stores.eventStore,
    readModels: stores.readModels,
    publisher: { publish: async (notification) => void published.push(notification) },
    clock: () => NOW,
    log: silentLog,
  };
  const streams = new DynamoDBStreamsClient({ endpoint: stores.endpoint, ...LOCAL_AWS });
  const seen: DynamoDBRecord[] = [];
  const poller = startStreamPoller({ client: streams, streamArn: stores.streamArn, idleMs: 10, log: silentLog, onRecords: async (records) => void seen.push(...records) });
  /** Waits for the stream to show `count` records in all, and returns the new ones. */
  let consumed = 0;
  const nextRecords = async (count: number): Promise<DynamoDBRecord[]> => {
    const deadline = Date.now() + 5000;
    while (seen.length < consumed + count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const batch = seen.slice(consumed, consumed + count);
    consumed += batch.length;
    return batch;
  };
  const asBusEvent = (record: DynamoDBRecord) => {
    const detail = unmarshall(record.dynamodb?.NewImage as never);
    return { version: '0', id: record.eventID ?? '', 'detail-type': String(detail['type']), source: EVENT_SOURCE, account: '0', time: NOW, region: 'local', resources: [], detail };
  };
  return {
    stores,
    published,
    nextRecords,
    decide: createDecideFunction(deps),
    validate: busFunctionFactories['validate-geolocation'](deps),
    project: busFunctionFactories.project(deps),
    asBusEvent,
    stop: async () => {
      await poller.stop();
      streams.destroy();
    },
  };
}

async function runProposal(times: number) {
  const sut = await systemUnderTest();
  await sut.stores.eventStore.appendCommand(buildCommand({ name: 'Kyoto', latitude: 35.01, longitude: 135.77 }, 'cid-redelivery', NOW));
  const [commandRecord] = await sut.nextRecords(1);
  for (let i = 0; i < times; i++) expect(await sut.decide({ Records: [commandRecord!] })).toEqual({ batchItemFailures: [] });
  // The decision wrote the event and the outcome: two new stream records.
  const decided = await sut.nextRecords(2);
  const proposed = decided.find((record) => record.dynamodb?.NewImage?.['type']?.S === 'DestinationProposed');
  for (let i = 0; i < times; i++) {
    await sut.validate(sut.asBusEvent(proposed!) as never);
    await sut.project(sut.asBusEvent(proposed!) as never);
  }
  const [validated] = await sut.nextRecords(1);
  for (let i = 0; i < times; i++) await sut.project(sut.asBusEvent(validated!) as never);
  const destinationId = decided.map((record) => record.dynamodb?.NewImage?.['data']?.M?.['destinationId']?.S).find(Boolean)!;
  const state = {
    destination: await sut.stores.readModels.getDestination(destinationId),
    recent: await sut.stores.readModels.getRecent(),
    history: await sut.stores.eventStore.readStream(`destination-${destinationId}`),
    outcome: await sut.stores.eventStore.readOutcome('cid-redelivery'),
  };
  await sut.stop();
  return { state, published: sut.published };
}

describe('idempotent handlers under redelivery (DynamoDB Local stream records)', () => {
  it('delivering every record three times yields the state of delivering it once', async () => {
    const once = await runProposal(1);
    const thrice = await runProposal(3);
    expect(thrice.state).toEqual(once.state);
    expect(once.state.history.map((record) => record.type)).toEqual(['DestinationProposed', 'GeolocationValidationSucceeded']);
    expect(once.state.destination).toMatchObject({ name: 'Kyoto', status: 'LOCATION_VALIDATED', country: 'JP', version: 2 });
    expect(once.state.recent.entries).toHaveLength(1);
    // Redelivery re-announces; the waiting caller treats repeats as the same answer.
    expect(thrice.published.length).toBeGreaterThan(once.published.length);
  });

  it('projects to the same state whatever order the events arrive in', async () => {
    const sut = await systemUnderTest();
    await sut.stores.eventStore.appendCommand(buildCommand({ name: 'Open sea', latitude: 30, longitude: -40 }, 'cid-order', NOW));
    const [commandRecord] = await sut.nextRecords(1);
    await sut.decide({ Records: [commandRecord!] });
    const decided = await sut.nextRecords(2);
    const proposed = decided.find((record) => record.dynamodb?.NewImage?.['type']?.S === 'DestinationProposed')!;
    await sut.validate(sut.asBusEvent(proposed) as never);
    const [failed] = await sut.nextRecords(1);
    // The later event first: the projector reads the stream and folds both.
    await sut.project(sut.asBusEvent(failed!) as never);
    await sut.project(sut.asBusEvent(proposed) as never);
    const destinationId = proposed.dynamodb?.NewImage?.['data']?.M?.['destinationId']?.S ?? '';
    expect(await sut.stores.readModels.getDestination(destinationId)).toMatchObject({ status: 'LOCATION_REJECTED', version: 2 });
    // Nobody can visit nowhere: a rejected location is not among the recent destinations.
    expect((await sut.stores.readModels.getRecent()).entries).toEqual([]);
    await sut.stop();
  });
});

describe('recent destinations under racing projectors (DynamoDB Local)', () => {
  it('never puts back a destination whose rejection is already stored, whatever the caller last folded', async () => {
    const { eventStore, readModels } = await freshStores();
    const deps: FlowDependencies = { eventStore, readModels, publisher: { publish: async () => undefined }, clock: () => NOW, log: silentLog };
    const proposedView = { id: 'd1', name: 'Nowhere', latitude: 30, longitude: -40, status: 'PROPOSED', country: null, locationRejectionReason: null, proposedAt: NOW, updatedAt: NOW, version: 1 } as const;
    // A fast projector stored the rejection (v2) and emptied the list; a slow one still holds v1.
    await readModels.putDestination({ ...proposedView, status: 'LOCATION_REJECTED', locationRejectionReason: 'open sea', version: 2 });
    await readModels.putRecent({ version: 1, entries: [] }, 0);
    expect(await readModels.putDestination(proposedView)).toBe(false);
    await refreshRecent(deps, 'd1');
    expect((await readModels.getRecent()).entries).toEqual([]);
  });
});
