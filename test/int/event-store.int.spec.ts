import { describe, expect, it } from 'vitest';
import { decideProposal } from '../../src/handlers/decide.js';
import { ExpectedVersionConflictError } from '../../src/errors/index.js';
import { NOW, proposeCommand } from '../support/commands.js';
import { freshStores } from '../support/stores.js';

describe('DynamoDB event store (DynamoDB Local)', async () => {
  const { eventStore, readModels } = await freshStores();

  const acceptedUnit = (correlationId: string) => {
    const decision = decideProposal(proposeCommand(correlationId, { name: correlationId }), NOW);
    if (decision.kind !== 'accepted') throw new Error('expected acceptance');
    return {
      decision,
      unit: {
        records: [decision.event, decision.outcome],
        destinations: [{ destination: decision.destination, previousVersion: 0 }],
      },
    };
  };

  it('appends a batch of units with their views in as many transactions as 100 items allow, and reports a taken unit as a conflict without losing the others', async () => {
    const units = Array.from({ length: 40 }, (_, i) => acceptedUnit(`cid-batch-${i}`)); // 120 items: two transactions
    // One unit's outcome position is taken already, as after an earlier delivery of its command.
    await eventStore.appendAtomically([units[17]!.decision.outcome]);
    const outcomes = await eventStore.appendUnits(units.map(({ unit }) => unit));
    expect(outcomes.filter((outcome) => outcome === 'conflict')).toHaveLength(1);
    expect(outcomes[17]).toBe('conflict');
    // The taken unit wrote nothing of its own, neither event nor view; every other unit wrote all of its items.
    const taken = units[17]!.decision;
    expect(await eventStore.readStream(taken.event.streamId)).toEqual([]);
    expect(await readModels.getDestination(taken.destination.id)).toBeNull();
    const others = units.filter((_, i) => i !== 17).map(({ decision }) => decision);
    expect(await readModels.getDestinations(others.map((decision) => decision.destination.id))).toHaveLength(39);
    for (const decision of others.slice(0, 5))
      expect(await eventStore.readStream(decision.event.streamId)).toEqual([decision.event]);
  });

  it('writes a view only over the version it was folded from', async () => {
    const { decision, unit } = acceptedUnit('cid-view');
    expect(await eventStore.appendUnits([unit])).toEqual(['appended']);
    const checked = {
      ...decision.event,
      version: 2,
      eventId: 'e-view-2',
      type: 'GeolocationValidationSucceeded' as const,
      data: { destinationId: decision.destination.id, country: 'PT' },
    };
    const view = { ...decision.destination, status: 'LOCATION_VALIDATED' as const, country: 'PT', version: 2 };
    // Folded from a view that is not the stored one: refused whole, the event included.
    expect(
      await eventStore.appendUnits([{ records: [checked], destinations: [{ destination: view, previousVersion: 0 }] }]),
    ).toEqual(['conflict']);
    expect(await eventStore.readStream(decision.event.streamId, 1)).toEqual([]);
    expect(
      await eventStore.appendUnits([{ records: [checked], destinations: [{ destination: view, previousVersion: 1 }] }]),
    ).toEqual(['appended']);
    expect(await readModels.getDestination(decision.destination.id)).toEqual(view);
  });

  it('writes a command once and reports a duplicate submission with the original', async () => {
    const command = proposeCommand('cid-dup');
    expect(await eventStore.appendCommand(command)).toEqual({ created: true });
    const again = await eventStore.appendCommand(proposeCommand('cid-dup', { name: 'Other' }));
    expect(again.created).toBe(false);
    expect(again.created === false && again.existing.data.name).toBe('Lisbon');
    expect(await eventStore.readStream(command.streamId)).toHaveLength(1);
  });

  it('appends a decision and the command outcome atomically, and refuses a second decision whole', async () => {
    const command = proposeCommand('cid-atomic');
    await eventStore.appendCommand(command);
    const decision = decideProposal(command, NOW);
    if (decision.kind !== 'accepted') throw new Error('expected acceptance');
    await eventStore.appendAtomically([decision.event, decision.outcome]);

    // A competing decision whose event position is free but whose outcome position is taken.
    const competing = { ...decision.event, streamId: 'destination-competing' };
    await expect(eventStore.appendAtomically([competing, decision.outcome])).rejects.toBeInstanceOf(
      ExpectedVersionConflictError,
    );
    expect(await eventStore.readStream('destination-competing')).toEqual([]);
    expect(await eventStore.readOutcome('cid-atomic')).toEqual(decision.outcome);
  });

  it('reads a stream in version order after a given version', async () => {
    const command = proposeCommand('cid-order');
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
  });

  it('answers null for unknown commands and pending outcomes', async () => {
    expect(await eventStore.readCommand('nobody')).toBeNull();
    const command = proposeCommand('cid-pending');
    await eventStore.appendCommand(command);
    expect(await eventStore.readCommand('cid-pending')).toEqual(command);
    expect(await eventStore.readOutcome('cid-pending')).toBeNull();
  });
});
