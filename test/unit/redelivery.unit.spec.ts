/**
 * At-least-once delivery, as logic: the same messages delivered several times, in any order
 * the platform allows, leave the state of one in-order delivery and answer the caller again.
 * The real runner over the in-memory stores (test/support/given-when-then.ts), each handler
 * fed what the one before it appended, as its stream or the bus would. The same run on real
 * stream records, DynamoDB Local and Redis is test/int/redelivery.int.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AnyRecord, DestinationProposed } from '../../src/domain/messages.js';
import { decide } from '../../src/handlers/decide.js';
import { projectRecent } from '../../src/handlers/project-recent.js';
import { validateGeolocation } from '../../src/handlers/validate-geolocation.js';
import { buildCommand } from '../../src/resolvers/propose-destination.js';
import {
  deliverConcurrently,
  random,
  RUN,
  RUN_DESTINATIONS,
  RUN_LISTED,
  shuffle,
  streamDeliveries,
} from '../support/delivery-orders.js';
import { GIVEN_NOW, given, type Outcome } from '../support/given-when-then.js';

const NOW = '2026-11-24T10:00:00.000Z';
const isProposed = (record: AnyRecord): record is DestinationProposed => record.type === 'DestinationProposed';

/** One proposal from command to recent list, each handler's messages delivered `times` times. */
async function runProposal(times: number, input = { name: 'Kyoto', latitude: 35.01, longitude: 135.77 }) {
  const command = buildCommand(input, 'cid-redelivery', NOW);
  const scenario = given({ records: [command] });
  const decided = await scenario.when(decide, [command], { deliveries: times });
  const proposed = decided.appended.filter(isProposed);
  const checked = await scenario.when(validateGeolocation, proposed, { deliveries: times });
  // The destination's view changed twice (proposed, checked): the recent list is folded from those changes.
  await scenario.when(projectRecent, [...decided.changedKeys, ...checked.changedKeys], { deliveries: times });
  return { scenario, stored: await scenario.stored(), published: scenario.published };
}

describe('one proposal, every message delivered three times', () => {
  it('yields the state of delivering it once, and tells the stored answers again, never different ones', async () => {
    const once = await runProposal(1);
    const thrice = await runProposal(3);
    expect(thrice.stored).toEqual(once.stored);
    const [view] = once.stored.views;
    expect(once.stored.records.filter((record) => record.kind === 'event').map((record) => record.type)).toEqual([
      'DestinationProposed',
      'GeolocationValidationSucceeded',
    ]);
    expect(view).toMatchObject({ name: 'Kyoto', status: 'LOCATION_VALIDATED', country: 'JP', version: 2 });
    expect(once.stored.recent).toEqual({
      version: 1,
      entries: [view],
      listed: { [view!.id]: { at: GIVEN_NOW, version: 1 } },
    });
    // Once: the decider answers PROPOSED and the check LOCATION_CHECKED, each with the view it stored.
    expect(once.published).toEqual([
      {
        type: 'Projected',
        correlationId: 'cid-redelivery',
        step: 'PROPOSED',
        destination: { ...view, status: 'PROPOSED', country: null, updatedAt: view!.proposedAt, version: 1 },
      },
      { type: 'Projected', correlationId: 'cid-redelivery', step: 'LOCATION_CHECKED', destination: view },
    ]);
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

  // Moved from test/int/redelivery.int.spec.ts: the read-model stream is keys only, so its order is all that matters.
  it('folds the recent list from the views as stored, whatever order their changes arrive in', async () => {
    const command = buildCommand({ name: 'Open sea', latitude: 30, longitude: -40 }, 'cid-order', NOW);
    const scenario = given({ records: [command] });
    const decided = await scenario.when(decide, [command]);
    const checked = await scenario.when(validateGeolocation, decided.appended.filter(isProposed));
    const [inserted] = decided.changedKeys;
    const [rejected] = checked.changedKeys;
    // The later change first, then the earlier one alone: the projector reads the view as stored, rejected.
    await scenario.when(projectRecent, [rejected!]);
    await scenario.when(projectRecent, [inserted!]);
    const { views, recent } = await scenario.stored();
    expect(views).toEqual([expect.objectContaining({ status: 'LOCATION_REJECTED', version: 2 })]);
    // Nobody can visit nowhere: a rejected location is not among the recent destinations.
    expect(recent.entries).toEqual([]);
  });
});

/**
 * Every message of RUN, delivered `times` times (shuffled by `seed` when 3); what is stored
 * after. The decider's batches run their records side by side, as the stream function's batch
 * processor does (so their appends share store calls); bus deliveries up to 4 at a time.
 */
async function deliverRun(times: 1 | 3, seed = 1) {
  const next = random(seed);
  const commands = RUN.map((input, i) => buildCommand(input, `cid-run-${i}`, NOW));
  const scenario = given({ records: commands });
  const appended: AnyRecord[] = [];
  const changedKeys: string[] = [];
  /** What the event table's and the read-model table's streams carry on, in the order it was written. */
  const carryOn = (outcome: Outcome): void => {
    appended.push(...outcome.appended);
    changedKeys.push(...outcome.changedKeys);
  };

  // 1. The decider, from the stream: in order once, or 3 times within the allowed reorderings.
  const batches = times === 1 ? [commands] : streamDeliveries(commands, (command) => command.streamId, next);
  for (const batch of batches)
    await Promise.all(batch.map(async (command) => carryOn(await scenario.when(decide, [command]))));
  const accepted = RUN.length - 1;
  expect(appended).toHaveLength(accepted * 2 + 1); // event + outcome each, one rejection
  const proposed = appended.filter(isProposed);
  expect(proposed).toHaveLength(accepted);

  // 2. The bus: every validation, in any order, up to 4 at a time.
  const validations = proposed.flatMap((record) =>
    Array.from({ length: times }, () => async () => carryOn(await scenario.when(validateGeolocation, [record]))),
  );
  await deliverConcurrently(times === 1 ? validations : shuffle(validations, next), times === 1 ? 1 : 4);
  expect(appended).toHaveLength(accepted * 3 + 1);

  // 3. The read-model stream: each view's changes (proposed, checked), each 3 times, in batches, within the allowed
  // reorderings.
  const changes = [...changedKeys];
  expect(changes).toHaveLength(accepted * 2);
  for (const batch of times === 1 ? [changes] : streamDeliveries(changes, (key) => key, next))
    await scenario.when(projectRecent, batch);
  return scenario.stored();
}

describe('a whole run redelivered 3 times, shuffled within the allowed reorderings', () => {
  it.each([11, 2026, 424242, 1, 2, 3, 5, 8, 13, 21])(
    'seed %i: the event table and the read models equal those of a single in-order delivery',
    async (seed) => {
      const once = await deliverRun(1);
      const thrice = await deliverRun(3, seed);
      expect(thrice.records).toEqual(once.records);
      // No duplicated event.
      expect(new Set(thrice.records.map((record) => record.eventId)).size).toBe(thrice.records.length);
      expect(thrice.views).toEqual(once.views);
      expect(thrice.recent.entries).toEqual(once.recent.entries);
      // The single delivery itself is right: 7 destinations, 2 of them in no country, the bad command rejected.
      expect(once.views.map((view) => `${view.name}:${view.status}`).sort()).toEqual(RUN_DESTINATIONS);
      expect(once.recent.entries.map((entry) => entry.name).sort()).toEqual(RUN_LISTED);
      expect(once.records.filter((record) => record.type === 'CommandRejected')).toHaveLength(1);
    },
  );
});
