/**
 * At-least-once delivery on the real parts: the same real stream records (DynamoDB Local),
 * delivered through the Lambda-shaped functions (batches processed side by side, appends
 * coalesced into transactions) and answered over Redis, leave exactly the state of one
 * delivery. The same logic, over the in-memory stores and with more orders, is
 * test/unit/redelivery.unit.spec.ts (where the convergence cases that need no real part live).
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/handlers/decide.js';
import { projectRecent } from '../../src/handlers/project-recent.js';
import { validateGeolocation } from '../../src/handlers/validate-geolocation.js';
import { busFunction, readModelStreamFunction, streamFunction } from '../../src/shell/runner/deliveries.js';
import type { RunnerDependencies } from '../../src/shell/runner/dependencies.js';
import { NOW, proposeCommand } from '../support/commands.js';
import { realNotifier } from '../support/notifications.js';
import { freshStores, silentLog } from '../support/stores.js';
import { type Item, scanAll } from '../support/tables.js';
import { asBusEvent, recordStream, typeOf } from '../support/stream-records.js';
import {
  deliverConcurrently,
  random,
  RUN,
  RUN_DESTINATIONS,
  RUN_LISTED,
  shuffle,
  streamDeliveries,
} from '../support/delivery-orders.js';

async function systemUnderTest() {
  const stores = await freshStores();
  const redis = await realNotifier();
  const deps: RunnerDependencies = {
    eventStore: stores.eventStore,
    readModels: stores.readModels,
    publisher: redis.publisher,
    clock: () => NOW,
    log: silentLog,
  };
  const stream = recordStream(stores);
  const readModelStream = recordStream({ endpoint: stores.endpoint, streamArn: stores.readModelStreamArn });
  return {
    stores,
    published: () => redis.published(),
    nextRecords: (count: number) => stream.next(count),
    nextReadModelChanges: (count: number) => readModelStream.next(count),
    decide: streamFunction(decide, deps),
    validate: busFunction(validateGeolocation, deps),
    projectRecent: readModelStreamFunction(projectRecent, {
      readModels: stores.readModels,
      clock: () => NOW,
      log: silentLog,
    }),
    asBusEvent,
    stop: async () => (await stream.stop(), await readModelStream.stop(), await redis.close()),
  };
}

async function runProposal(times: number) {
  const sut = await systemUnderTest();
  await sut.stores.eventStore.appendCommand(
    proposeCommand('cid-redelivery', { name: 'Kyoto', latitude: 35.01, longitude: 135.77 }),
  );
  const [commandRecord] = await sut.nextRecords(1);
  for (let i = 0; i < times; i++)
    expect(await sut.decide({ Records: [commandRecord!] })).toEqual({ batchItemFailures: [] });
  // The decision wrote the event and the outcome: two new stream records.
  const decided = await sut.nextRecords(2);
  const proposed = decided.find((record) => record.dynamodb?.NewImage?.['type']?.S === 'DestinationProposed');
  for (let i = 0; i < times; i++) await sut.validate(sut.asBusEvent(proposed!));
  // The destination's view changed twice (proposed, checked): the recent list is folded from those changes.
  const changes = await sut.nextReadModelChanges(2);
  for (let i = 0; i < times; i++) await sut.projectRecent({ Records: changes });
  const destinationId = decided
    .map((record) => record.dynamodb?.NewImage?.['data']?.M?.['destinationId']?.S)
    .find(Boolean)!;
  const state = {
    destination: await sut.stores.readModels.getDestination(destinationId),
    recent: (await sut.stores.readModels.getRecent()).value,
    history: await sut.stores.eventStore.readStream(`destination-${destinationId}`),
    outcome: await sut.stores.eventStore.readOutcome('cid-redelivery'),
  };
  const published = await sut.published();
  await sut.stop();
  return { state, published };
}

describe('idempotent handlers under redelivery (DynamoDB Local stream records)', () => {
  it('delivering every record three times yields the state of delivering it once', async () => {
    const once = await runProposal(1);
    const thrice = await runProposal(3);
    expect(thrice.state).toEqual(once.state);
    expect(once.state.history.map((record) => record.type)).toEqual([
      'DestinationProposed',
      'GeolocationValidationSucceeded',
    ]);
    expect(once.state.destination).toMatchObject({
      name: 'Kyoto',
      status: 'LOCATION_VALIDATED',
      country: 'JP',
      version: 2,
    });
    // Listed once, in the version it entered in: a redelivered batch neither relists it nor moves its stamp.
    expect(once.state.recent).toEqual({
      version: 1,
      entries: [once.state.destination],
      listed: { [once.state.destination!.id]: { at: NOW, version: 1 } },
    });
    // As heard on Redis. Once: the decider answers PROPOSED and the check LOCATION_CHECKED, each
    // with the view it stored.
    expect(once.published).toEqual([
      {
        type: 'Projected',
        correlationId: 'cid-redelivery',
        step: 'PROPOSED',
        destination: { ...once.state.destination, status: 'PROPOSED', country: null, version: 1 },
      },
      {
        type: 'Projected',
        correlationId: 'cid-redelivery',
        step: 'LOCATION_CHECKED',
        destination: once.state.destination,
      },
    ]);
    // A redelivery tells the stored answer again (an earlier delivery may have stopped before
    // notifying), never a different one.
    const [proposedAnswer, checkedAnswer] = once.published;
    expect(thrice.published).toEqual([
      proposedAnswer,
      proposedAnswer,
      proposedAnswer,
      checkedAnswer,
      checkedAnswer,
      checkedAnswer,
    ]);
  });
});

const keyOf = (record: DynamoDBRecord): string =>
  record.dynamodb?.Keys?.['streamId']?.S ?? record.dynamodb?.Keys?.['pk']?.S ?? '';

/**
 * Every record of a run of proposals, delivered `times` times (shuffled by `seed` when given); returns the resulting
 * tables.
 */
async function deliverRun(times: 1 | 3, seed?: number) {
  const sut = await systemUnderTest();
  const next = random(seed ?? 1);
  const commands = RUN.map((input, i) => proposeCommand(`cid-run-${i}`, input));
  for (const command of commands) await sut.stores.eventStore.appendCommand(command);
  const commandRecords = await sut.nextRecords(commands.length);

  // 1. The decider, from the stream: in order once, or 3 times within the allowed reorderings.
  const batches = times === 1 ? [commandRecords] : streamDeliveries(commandRecords, keyOf, next);
  for (const batch of batches) expect(await sut.decide({ Records: batch })).toEqual({ batchItemFailures: [] });
  const accepted = RUN.length - 1;
  const decided = await sut.nextRecords(accepted * 2 + 1); // event + outcome each, one rejection
  const proposed = decided.filter((record) => typeOf(record) === 'DestinationProposed');
  expect(proposed).toHaveLength(accepted);

  // 2. The bus: every validation, in any order, up to 4 at a time.
  const validations = proposed.flatMap((record) =>
    Array.from({ length: times }, () => () => sut.validate(sut.asBusEvent(record))),
  );
  await deliverConcurrently(times === 1 ? validations : shuffle(validations, next), times === 1 ? 1 : 4);
  const checked = await sut.nextRecords(accepted);
  expect(checked).toHaveLength(accepted);

  // 3. The read-model stream: each view's changes (proposed, checked), each 3 times, in batches,
  // within the allowed reorderings.
  const changes = await sut.nextReadModelChanges(accepted * 2);
  expect(changes).toHaveLength(accepted * 2);
  for (const batch of times === 1 ? [changes] : streamDeliveries(changes, keyOf, next))
    expect(await sut.projectRecent({ Records: batch })).toEqual({ batchItemFailures: [] });
  await sut.stop();
  const [events, readModels] = await Promise.all([
    scanAll(sut.stores.endpoint, sut.stores.tables.events),
    scanAll(sut.stores.endpoint, sut.stores.tables.readModels),
  ]);
  const byKey = (a: Item, b: Item) =>
    `${a['streamId'] ?? a['pk']}#${a['version']}` < `${b['streamId'] ?? b['pk']}#${b['version']}` ? -1 : 1;
  return {
    events: events.sort(byKey),
    destinations: readModels.filter((item) => item['pk'] !== 'recent-destinations').sort(byKey),
    recent: (readModels.find((item) => item['pk'] === 'recent-destinations')?.['entries'] ?? []) as { name: string }[],
  };
}

describe('a whole run redelivered 3 times, shuffled within the allowed reorderings (DynamoDB Local stream records)', () => {
  // One seed here, on the real parts; more seeds of the same run go through the logic in
  // test/unit/redelivery.unit.spec.ts.
  it('seed 2026: the event table and the read models equal those of a single in-order delivery', async () => {
    const once = await deliverRun(1);
    const thrice = await deliverRun(3, 2026);
    expect(thrice.events).toEqual(once.events);
    expect(new Set(thrice.events.map((item) => item['eventId'])).size).toBe(thrice.events.length); // no duplicated event
    expect(thrice.destinations).toEqual(once.destinations);
    expect(thrice.recent).toEqual(once.recent);
    // The single delivery itself is right: 7 destinations, 2 of them in no country, the bad command rejected.
    expect(once.destinations.map((item) => `${item['destination'].name}:${item['destination'].status}`).sort()).toEqual(
      RUN_DESTINATIONS,
    );
    expect(once.recent.map((entry: { name: string }) => entry.name).sort()).toEqual(RUN_LISTED);
    expect(once.events.filter((item) => item['type'] === 'CommandRejected')).toHaveLength(1);
  });
});
