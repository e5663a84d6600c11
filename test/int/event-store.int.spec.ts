/**
 * The DynamoDB event store on DynamoDB Local: the EventStore contract (the same assertions the
 * in-memory store passes), and what only this adapter does: packing units into transactions.
 */
import { describe, expect, it } from 'vitest';
import { acceptedUnit, describeEventStoreContract } from '../contract/event-store.contract.js';
import { freshStores } from '../support/stores.js';

describeEventStoreContract('DynamoDB (DynamoDB Local)', freshStores);

describe('DynamoDB event store: transactions (DynamoDB Local)', () => {
  it('appends a batch of units with their views in as many transactions as 100 items allow, and reports a taken unit as a conflict without losing the others', async () => {
    const { eventStore, readModels } = await freshStores();
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
});
