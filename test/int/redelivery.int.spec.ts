/**
 * At-least-once delivery: the same real stream records delivered three times leave
 * exactly the state of one delivery, and out-of-order changes of the views converge.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildCommand } from '../../src/resolvers/propose-destination.js';
import { decide } from '../../src/handlers/decide.js';
import { projectRecent } from '../../src/handlers/project-recent.js';
import { validateGeolocation } from '../../src/handlers/validate-geolocation.js';
import { busFunction, readModelStreamFunction, streamFunction } from '../../src/shell/runner/deliveries.js';
import type { RunnerDependencies } from '../../src/shell/runner/dependencies.js';
import { runHandler } from '../../src/shell/runner/run-handler.js';
import { realNotifier } from '../support/notifications.js';
import { freshStores, silentLog } from '../support/stores.js';
import { scanAll } from '../support/tables.js';
import { asBusEvent, recordStream, typeOf } from '../support/stream-records.js';

const NOW = '2026-11-24T10:00:00.000Z';

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
    nextRecords: stream.next,
    nextReadModelChanges: readModelStream.next,
    decide: streamFunction(decide, deps),
    validate: busFunction(validateGeolocation, deps),
    projectRecent: readModelStreamFunction(projectRecent, {
      readModels: stores.readModels,
      clock: () => NOW,
      log: silentLog,
    }),
    asBusEvent: (record: DynamoDBRecord) => asBusEvent(record, NOW),
    stop: async () => (await stream.stop(), await readModelStream.stop(), await redis.close()),
  };
}

async function runProposal(times: number) {
  const sut = await systemUnderTest();
  await sut.stores.eventStore.appendCommand(
    buildCommand({ name: 'Kyoto', latitude: 35.01, longitude: 135.77 }, 'cid-redelivery', NOW),
  );
  const [commandRecord] = await sut.nextRecords(1);
  for (let i = 0; i < times; i++)
    expect(await sut.decide({ Records: [commandRecord!] })).toEqual({ batchItemFailures: [] });
  // The decision wrote the event and the outcome: two new stream records.
  const decided = await sut.nextRecords(2);
  const proposed = decided.find((record) => record.dynamodb?.NewImage?.['type']?.S === 'DestinationProposed');
  for (let i = 0; i < times; i++) await sut.validate(sut.asBusEvent(proposed!) as never);
  // The destination's view changed twice (proposed, checked): the recent list is folded from those changes.
  const changes = await sut.nextReadModelChanges(2);
  for (let i = 0; i < times; i++) await sut.projectRecent({ Records: changes });
  const destinationId = decided
    .map((record) => record.dynamodb?.NewImage?.['data']?.M?.['destinationId']?.S)
    .find(Boolean)!;
  const state = {
    destination: await sut.stores.readModels.getDestination(destinationId),
    recent: await sut.stores.readModels.getRecent(),
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
    // As heard on Redis. Once: the decider answers PROPOSED and the check LOCATION_CHECKED, each with the view it stored.
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
    // A redelivery tells the stored answer again (an earlier delivery may have stopped before notifying), never a different one.
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

  it('folds the recent list from the views as stored, whatever order their changes arrive in', async () => {
    const sut = await systemUnderTest();
    await sut.stores.eventStore.appendCommand(
      buildCommand({ name: 'Open sea', latitude: 30, longitude: -40 }, 'cid-order', NOW),
    );
    const [commandRecord] = await sut.nextRecords(1);
    await sut.decide({ Records: [commandRecord!] });
    const decided = await sut.nextRecords(2);
    const proposed = decided.find((record) => record.dynamodb?.NewImage?.['type']?.S === 'DestinationProposed')!;
    await sut.validate(sut.asBusEvent(proposed) as never);
    const [inserted, rejected] = await sut.nextReadModelChanges(2);
    // The later change first, then the earlier one alone: the projector reads the view as stored, rejected.
    await sut.projectRecent({ Records: [rejected!] });
    await sut.projectRecent({ Records: [inserted!] });
    const destinationId = proposed.dynamodb?.NewImage?.['data']?.M?.['destinationId']?.S ?? '';
    expect(await sut.stores.readModels.getDestination(destinationId)).toMatchObject({
      status: 'LOCATION_REJECTED',
      version: 2,
    });
    // Nobody can visit nowhere: a rejected location is not among the recent destinations.
    expect((await sut.stores.readModels.getRecent()).entries).toEqual([]);
    await sut.stop();
  });
});

describe('recent destinations under racing projectors (DynamoDB Local)', () => {
  it('never puts back a destination whose rejection is already stored, whatever change the caller was handed', async () => {
    const { readModels } = await freshStores();
    const proposedView = {
      id: 'd1',
      name: 'Nowhere',
      latitude: 30,
      longitude: -40,
      status: 'PROPOSED',
      country: null,
      locationRejectionReason: null,
      proposedAt: NOW,
      updatedAt: NOW,
      version: 1,
    } as const;
    // A fast projector folded the rejection (v2) and emptied the list; a slow one was handed the v1 change.
    await readModels.putDestination({
      ...proposedView,
      status: 'LOCATION_REJECTED',
      locationRejectionReason: 'open sea',
      version: 2,
    });
    await readModels.putRecent({ version: 1, entries: [] }, 0);
    const decision = await runHandler(projectRecent, ['d1'], { readModels, clock: () => NOW, log: silentLog });
    expect(decision.writes).toEqual([]);
    expect(await readModels.getRecent()).toEqual({ version: 1, entries: [] });
  });
});

/** A small seeded generator, so a failing shuffle can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Randomly interleaves sequences, keeping each one's own order. */
function interleave<T>(sequences: T[][], next: () => number): T[] {
  const queues = sequences.map((sequence) => [...sequence]).filter((queue) => queue.length > 0);
  const merged: T[] = [];
  while (queues.length > 0) {
    const index = Math.floor(next() * queues.length);
    merged.push(queues[index]!.shift()!);
    if (queues[index]!.length === 0) queues.splice(index, 1);
  }
  return merged;
}

const shuffle = <T>(items: T[], next: () => number): T[] =>
  interleave(
    items.map((item) => [item]),
    next,
  );
const keyOf = (record: DynamoDBRecord): string =>
  record.dynamodb?.Keys?.['streamId']?.S ?? record.dynamodb?.Keys?.['pk']?.S ?? '';

/**
 * Stream delivery (the decider): each record 3 times; per partition key, every copy of the
 * key's records keeps stream order (a retry re-sends a batch from its first failed record,
 * never a later record before an earlier one's first delivery), while copies and keys
 * interleave freely; then cut into batches of 1–5.
 */
function streamDeliveries(records: DynamoDBRecord[], next: () => number): DynamoDBRecord[][] {
  const byKey = new Map<string, DynamoDBRecord[]>();
  for (const record of records) byKey.set(keyOf(record), [...(byKey.get(keyOf(record)) ?? []), record]);
  const order = interleave(
    [...byKey.values()].flatMap((keyRecords) => [keyRecords, keyRecords, keyRecords]),
    next,
  );
  const batches: DynamoDBRecord[][] = [];
  for (let i = 0; i < order.length;) {
    const size = 1 + Math.floor(next() * 5);
    batches.push(order.slice(i, i + size));
    i += size;
  }
  return batches;
}

/** Runs deliveries in the given order, up to `concurrency` at a time (EventBridge makes no order promise). */
async function deliverConcurrently(deliveries: (() => Promise<unknown>)[], concurrency: number): Promise<void> {
  for (let i = 0; i < deliveries.length; i += concurrency)
    await Promise.all(deliveries.slice(i, i + concurrency).map((deliver) => deliver()));
}

const RUN = [
  { name: 'Kyoto', latitude: 35.01, longitude: 135.77 },
  { name: 'Open sea', latitude: 30, longitude: -40 },
  { name: 'Quito', latitude: -0.18, longitude: -78.47 },
  { name: 'Hobart', latitude: -42.88, longitude: 147.33 },
  { name: 'Nowhere', latitude: -60, longitude: -140 },
  { name: 'Nairobi', latitude: -1.29, longitude: 36.82 },
  { name: 'Bergen', latitude: 60.39, longitude: 5.32 },
  { name: 'Bad command', latitude: 95, longitude: 0 }, // a command that breaks the rules reaches the decider anyway
];

/** Every record of a run of proposals, delivered `times` times (shuffled by `seed` when given); returns the resulting tables. */
async function deliverRun(times: 1 | 3, seed?: number) {
  const sut = await systemUnderTest();
  const next = random(seed ?? 1);
  const commands = RUN.map((input, i) => buildCommand(input, `cid-run-${i}`, NOW));
  for (const command of commands) await sut.stores.eventStore.appendCommand(command);
  const commandRecords = await sut.nextRecords(commands.length);

  // 1. The decider, from the stream: in order once, or 3 times within the allowed reorderings.
  const batches = times === 1 ? [commandRecords] : streamDeliveries(commandRecords, next);
  for (const batch of batches) expect(await sut.decide({ Records: batch })).toEqual({ batchItemFailures: [] });
  const accepted = RUN.length - 1;
  const decided = await sut.nextRecords(accepted * 2 + 1); // event + outcome each, one rejection
  const proposed = decided.filter((record) => typeOf(record) === 'DestinationProposed');
  expect(proposed).toHaveLength(accepted);

  // 2. The bus: every validation, in any order, up to 4 at a time.
  const validations = proposed.flatMap((record) =>
    Array.from({ length: times }, () => () => sut.validate(sut.asBusEvent(record) as never)),
  );
  await deliverConcurrently(times === 1 ? validations : shuffle(validations, next), times === 1 ? 1 : 4);
  const checked = await sut.nextRecords(accepted);
  expect(checked).toHaveLength(accepted);

  // 3. The read-model stream: each view's changes (proposed, checked), each 3 times, in batches, within the allowed reorderings.
  const changes = await sut.nextReadModelChanges(accepted * 2);
  expect(changes).toHaveLength(accepted * 2);
  for (const batch of times === 1 ? [changes] : streamDeliveries(changes, next))
    expect(await sut.projectRecent({ Records: batch })).toEqual({ batchItemFailures: [] });
  await sut.stop();
  const [events, readModels] = await Promise.all([
    scanAll(sut.stores.endpoint, sut.stores.tables.events),
    scanAll(sut.stores.endpoint, sut.stores.tables.readModels),
  ]);
  const byKey = (a: Record<string, any>, b: Record<string, any>) =>
    `${a['streamId'] ?? a['pk']}#${a['version']}` < `${b['streamId'] ?? b['pk']}#${b['version']}` ? -1 : 1;
  return {
    events: events.sort(byKey),
    destinations: readModels.filter((item) => item['pk'] !== 'recent-destinations').sort(byKey),
    recent: readModels.find((item) => item['pk'] === 'recent-destinations')?.['entries'],
  };
}

describe('a whole run redelivered 3 times, shuffled within the allowed reorderings (DynamoDB Local stream records)', () => {
  it.each([11, 2026, 424242])(
    'seed %i: the event table and the read models equal those of a single in-order delivery',
    async (seed) => {
      const once = await deliverRun(1);
      const thrice = await deliverRun(3, seed);
      expect(thrice.events).toEqual(once.events);
      expect(new Set(thrice.events.map((item) => item['eventId'])).size).toBe(thrice.events.length); // no duplicated event
      expect(thrice.destinations).toEqual(once.destinations);
      expect(thrice.recent).toEqual(once.recent);
      // The single delivery itself is right: 7 destinations, 2 of them in no country, the bad command rejected.
      expect(
        once.destinations.map((item) => `${item['destination'].name}:${item['destination'].status}`).sort(),
      ).toEqual([
        'Bergen:LOCATION_VALIDATED',
        'Hobart:LOCATION_VALIDATED',
        'Kyoto:LOCATION_VALIDATED',
        'Nairobi:LOCATION_VALIDATED',
        'Nowhere:LOCATION_REJECTED',
        'Open sea:LOCATION_REJECTED',
        'Quito:LOCATION_VALIDATED',
      ]);
      expect(once.recent.map((entry: { name: string }) => entry.name).sort()).toEqual([
        'Bergen',
        'Hobart',
        'Kyoto',
        'Nairobi',
        'Quito',
      ]);
      expect(once.events.filter((item) => item['type'] === 'CommandRejected')).toHaveLength(1);
    },
  );
});
