/**
 * What every EventStore does, whatever it runs on: the DynamoDB store (test/int, on DynamoDB
 * Local) and the in-memory one (test/unit) run these same assertions, which is what makes the
 * in-memory store a faithful stand-in for the logic tests. Adapter-specific behaviour (how
 * DynamoDB packs units into transactions, its faults) is tested beside that adapter.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnyRecord, GeolocationValidationSucceeded } from '../../src/domain/messages.js';
import { ExpectedVersionConflictError, MalformedRecordError, PartialAppendError } from '../../src/errors/index.js';
import { decideProposal } from '../../src/handlers/decide.js';
import type { EventStore, ReadModelStore } from '../../src/ports/index.js';
import { buildCommand } from '../../src/resolvers/propose-destination.js';

export interface EventStoreUnderTest {
  readonly eventStore: EventStore;
  /** Where the store's inline views (AppendUnit.destinations) can be read back. */
  readonly readModels: ReadModelStore;
}

const NOW = '2026-11-24T10:00:00.000Z';
const proposal = { name: 'Lisbon', latitude: 38.72, longitude: -9.14 };

/** A correlation id no other test (or earlier run against the same tables) uses. */
const unique = (label: string): string => `cid-${label}-${randomUUID()}`;

/** What decide appends for an accepted proposal: its event, the outcome and the first view. */
export function acceptedUnit(correlationId: string) {
  const decision = decideProposal(buildCommand({ ...proposal, name: correlationId }, correlationId, NOW), NOW);
  if (decision.kind !== 'accepted') throw new Error('expected acceptance');
  return {
    decision,
    unit: {
      records: [decision.event, decision.outcome],
      destinations: [{ destination: decision.destination, previousVersion: 0 }],
    },
  };
}

/** The location check that follows `decision`'s event (version 2), and the view folded from it. */
function checkedAfter(decision: ReturnType<typeof acceptedUnit>['decision']) {
  const checked: GeolocationValidationSucceeded = {
    ...decision.event,
    version: 2,
    eventId: `e-checked-${decision.event.eventId}`,
    type: 'GeolocationValidationSucceeded',
    data: { destinationId: decision.destination.id, country: 'PT' },
  };
  const view = { ...decision.destination, status: 'LOCATION_VALIDATED' as const, country: 'PT', version: 2 };
  return { checked, view };
}

export function describeEventStoreContract(name: string, makeStores: () => Promise<EventStoreUnderTest>): void {
  describe(`EventStore contract: ${name}`, () => {
    let eventStore: EventStore;
    let readModels: ReadModelStore;
    beforeAll(async () => {
      ({ eventStore, readModels } = await makeStores());
    });

    describe('commands', () => {
      it('writes a command once and reports a duplicate submission with the original', async () => {
        const correlationId = unique('dup');
        const command = buildCommand(proposal, correlationId, NOW);
        expect(await eventStore.appendCommand(command)).toEqual({ created: true });
        const again = await eventStore.appendCommand(buildCommand({ ...proposal, name: 'Other' }, correlationId, NOW));
        expect(again.created).toBe(false);
        expect(again.created === false && again.existing.data.name).toBe('Lisbon');
        expect(again.created === false && again.existing).toEqual(command);
        expect(await eventStore.readStream(command.streamId)).toHaveLength(1);
      });

      it('refuses a command whose position holds a record that is not a command, as a conflict', async () => {
        const command = buildCommand(proposal, unique('taken'), NOW);
        const notACommand = { ...acceptedUnit('x').decision.outcome, streamId: command.streamId, version: 1 };
        await eventStore.appendAtomically([notACommand]);
        await expect(eventStore.appendCommand(command)).rejects.toBeInstanceOf(ExpectedVersionConflictError);
        expect(await eventStore.readStream(command.streamId)).toEqual([notACommand]);
      });

      it('answers null for unknown commands and pending outcomes', async () => {
        expect(await eventStore.readCommand(unique('nobody'))).toBeNull();
        expect(await eventStore.readOutcome(unique('nobody'))).toBeNull();
        const correlationId = unique('pending');
        const command = buildCommand(proposal, correlationId, NOW);
        await eventStore.appendCommand(command);
        expect(await eventStore.readCommand(correlationId)).toEqual(command);
        expect(await eventStore.readOutcome(correlationId)).toBeNull();
      });

      it('refuses to read a record of another kind where a command or an outcome belongs', async () => {
        const correlationId = unique('kinds');
        const { decision } = acceptedUnit(correlationId);
        // An outcome at the command's position, and a command at the outcome's.
        await eventStore.appendAtomically([
          { ...decision.outcome, version: 1 },
          { ...buildCommand(proposal, correlationId, NOW), version: 2 },
        ]);
        await expect(eventStore.readCommand(correlationId)).rejects.toBeInstanceOf(MalformedRecordError);
        await expect(eventStore.readOutcome(correlationId)).rejects.toBeInstanceOf(MalformedRecordError);
      });
    });

    describe('appends', () => {
      it('appends a decision and the command outcome atomically, and refuses a second decision whole', async () => {
        const correlationId = unique('atomic');
        const command = buildCommand(proposal, correlationId, NOW);
        await eventStore.appendCommand(command);
        const decision = decideProposal(command, NOW);
        if (decision.kind !== 'accepted') throw new Error('expected acceptance');
        await eventStore.appendAtomically([decision.event, decision.outcome]);

        // A competing decision whose event position is free but whose outcome position is taken.
        const competing = { ...decision.event, streamId: `destination-competing-${correlationId}` };
        const refusal = eventStore.appendAtomically([competing, decision.outcome]);
        await expect(refusal).rejects.toBeInstanceOf(ExpectedVersionConflictError);
        await expect(refusal).rejects.toMatchObject({ streamIds: [competing.streamId, decision.outcome.streamId] });
        expect(await eventStore.readStream(competing.streamId)).toEqual([]);
        expect(await eventStore.readOutcome(correlationId)).toEqual(decision.outcome);
      });

      it("reports each unit's outcome in order; a unit whose position is taken writes nothing of its own, neither event nor view, and the others are written whole", async () => {
        const units = [0, 1, 2].map((i) => acceptedUnit(unique(`units-${i}`)));
        // The middle unit's outcome position is taken already, as after an earlier delivery of its command.
        await eventStore.appendAtomically([units[1]!.decision.outcome]);
        expect(await eventStore.appendUnits(units.map(({ unit }) => unit))).toEqual([
          'appended',
          'conflict',
          'appended',
        ]);
        const taken = units[1]!.decision;
        expect(await eventStore.readStream(taken.event.streamId)).toEqual([]);
        expect(await readModels.getDestination(taken.destination.id)).toBeNull();
        for (const { decision } of [units[0]!, units[2]!]) {
          expect(await eventStore.readStream(decision.event.streamId)).toEqual([decision.event]);
          expect(await eventStore.readOutcome(decision.outcome.correlationId)).toEqual(decision.outcome);
          expect(await readModels.getDestination(decision.destination.id)).toEqual(decision.destination);
        }
      });

      it('answers no outcomes for no units', async () => {
        expect(await eventStore.appendUnits([])).toEqual([]);
      });

      it('writes a view only over the version it was folded from', async () => {
        const { decision, unit } = acceptedUnit(unique('view'));
        expect(await eventStore.appendUnits([unit])).toEqual(['appended']);
        const { checked, view } = checkedAfter(decision);
        // Folded from a view that is not the stored one: refused whole, the event included.
        expect(
          await eventStore.appendUnits([
            { records: [checked], destinations: [{ destination: view, previousVersion: 0 }] },
          ]),
        ).toEqual(['conflict']);
        expect(
          await eventStore.appendUnits([
            { records: [checked], destinations: [{ destination: view, previousVersion: 2 }] },
          ]),
        ).toEqual(['conflict']);
        expect(await eventStore.readStream(decision.event.streamId, 1)).toEqual([]);
        expect(await readModels.getDestination(decision.destination.id)).toEqual(decision.destination);
        expect(
          await eventStore.appendUnits([
            { records: [checked], destinations: [{ destination: view, previousVersion: 1 }] },
          ]),
        ).toEqual(['appended']);
        expect(await readModels.getDestination(decision.destination.id)).toEqual(view);
        expect(await eventStore.readStream(decision.event.streamId, 1)).toEqual([checked]);
      });

      it("stores a unit's trace with each of its views, read back beside the view (never inside it), and none for a unit without one", async () => {
        const traced = acceptedUnit(unique('traced'));
        const untraced = acceptedUnit(unique('untraced'));
        const trace = { traceparent: `00-${'a1'.repeat(16)}-${'b2'.repeat(8)}-01`, tracestate: 'vendor=x' };
        expect(await eventStore.appendUnits([{ ...traced.unit, trace }, untraced.unit])).toEqual([
          'appended',
          'appended',
        ]);
        const ids = [traced.decision.destination.id, untraced.decision.destination.id];
        const byValueId = (a: { value: { id: string } }, b: { value: { id: string } }) =>
          ids.indexOf(a.value.id) - ids.indexOf(b.value.id);
        expect((await readModels.getDestinations(ids)).sort(byValueId)).toStrictEqual([
          { value: traced.decision.destination, trace },
          { value: untraced.decision.destination },
        ]);
        expect(await readModels.getDestination(traced.decision.destination.id)).toStrictEqual(
          traced.decision.destination,
        );
      });

      it('refuses a unit that cannot fit one transaction (over 100 items) before writing any unit of the call', async () => {
        const small = acceptedUnit(unique('beside-large'));
        const correlationId = unique('large');
        const large = Array.from({ length: 101 }, (_, i) => ({
          ...acceptedUnit(correlationId).decision.event,
          streamId: `destination-large-${correlationId}-${i}`,
        }));
        await expect(eventStore.appendUnits([small.unit, { records: large }])).rejects.toBeInstanceOf(RangeError);
        expect(await eventStore.readStream(small.decision.event.streamId)).toEqual([]);
        expect(await eventStore.readStream(large[0]!.streamId)).toEqual([]);
      });

      it('fails a unit it cannot store (a special number) without storing any of it: appendUnits names it failed, appendAtomically throws the cause', async () => {
        const { decision, unit } = acceptedUnit(unique('nan'));
        const unstorable = { ...decision.event, data: { ...decision.event.data, latitude: Number.NaN } };
        const failure = await eventStore
          .appendUnits([{ ...unit, records: [unstorable, decision.outcome] }])
          .catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(PartialAppendError);
        expect((failure as PartialAppendError).outcomes).toEqual(['failed']);
        await expect(eventStore.appendAtomically([unstorable])).rejects.toThrow(/Special numeric value NaN/);
        expect(await eventStore.readStream(decision.event.streamId)).toEqual([]);
        expect(await eventStore.readOutcome(decision.outcome.correlationId)).toBeNull();
        expect(await readModels.getDestination(decision.destination.id)).toBeNull();
      });
    });

    describe('reads', () => {
      it('reads a stream in version order after a given version', async () => {
        const command = buildCommand(proposal, unique('order'), NOW);
        const decision = decideProposal(command, NOW);
        if (decision.kind !== 'accepted') throw new Error('expected acceptance');
        const second = {
          ...decision.event,
          version: 2,
          eventId: 'e2',
          type: 'GeolocationValidationSucceeded' as const,
          data: { destinationId: 'x', country: 'PT' },
        };
        await eventStore.appendAtomically([second]);
        await eventStore.appendAtomically([decision.event]);
        expect((await eventStore.readStream(decision.event.streamId)).map((record) => record.version)).toEqual([1, 2]);
        expect((await eventStore.readStream(decision.event.streamId, 1)).map((record) => record.version)).toEqual([2]);
        expect(await eventStore.readStream(decision.event.streamId, 2)).toEqual([]);
        expect(await eventStore.readStream(`destination-${unique('none')}`)).toEqual([]);
      });

      it('keeps what was appended, whatever the caller does to its objects afterwards', async () => {
        const correlationId = unique('copies');
        const command = buildCommand(proposal, correlationId, NOW);
        const written = structuredClone(command);
        await eventStore.appendCommand(command);
        (command.data as { name: string }).name = 'changed after writing';
        const read = (await eventStore.readCommand(correlationId))!;
        expect(read).toEqual(written);
        (read.data as { name: string }).name = 'changed after reading';
        const [record] = await eventStore.readStream(written.streamId);
        expect(record).toEqual(written);
        (record as { version: number }).version = 99;
        expect(await eventStore.readCommand(correlationId)).toEqual(written);
      });

      it('returns records as written, without the attributes left undefined', async () => {
        const { decision } = acceptedUnit(unique('undefined'));
        const withUndefined = { ...decision.event, data: { ...decision.event.data, note: undefined } } as AnyRecord;
        await eventStore.appendAtomically([withUndefined]);
        const [stored] = await eventStore.readStream(decision.event.streamId);
        expect(stored).toStrictEqual(decision.event);
      });
    });
  });
}
