/**
 * The runner's own ways of failing, over the in-memory stores: what the waiting caller is told
 * and what is left stored when a decider throws, reaches past its route, or keeps conflicting.
 */
import { describe, expect, it } from 'vitest';
import type { AnyRecord, ProposeDestination } from '../../src/domain/messages.js';
import { decide } from '../../src/handlers/decide.js';
import { type Handler, nothingToDo } from '../../src/handlers/handler.js';
import { invalidateCdn, type ObjectCreated } from '../../src/handlers/invalidate-cdn.js';
import { buildCommand } from '../../src/resolvers/propose-destination.js';
import { MissingDependencyError } from '../../src/shell/runner/dependencies.js';
import { DECIDE_ATTEMPTS, PersistentConflictError } from '../../src/shell/runner/run-handler.js';
import { destination } from '../support/destinations.js';
import { given, GIVEN_NOW } from '../support/given-when-then.js';

const command = buildCommand({ name: 'Lisbon', latitude: 38.72, longitude: -9.14 }, 'cid-runner', GIVEN_NOW);

describe('the runner, when a handler fails', () => {
  it('given a decider that throws, then the waiting caller is told HandlerFailed at once, nothing is written, and the delivery fails for the retry path', async () => {
    const throwing: Handler<AnyRecord, ProposeDestination, 'outcome' | 'destination'> = {
      ...decide,
      decide: () => {
        throw new Error('boom');
      },
    };
    const scenario = given({ records: [command] });
    await expect(scenario.when(throwing, [command])).rejects.toThrow('boom');
    expect(scenario.published).toEqual([
      { type: 'HandlerFailed', correlationId: 'cid-runner', handler: 'decide', message: 'processing failed' },
    ]);
    expect((await scenario.stored()).records).toEqual([command]);
  });

  it('given a decider that reads what its route does not use, then it fails naming the missing part (least privilege, as deployed)', async () => {
    const overreaching: Handler<ObjectCreated, readonly ObjectCreated[], 'outcome'> = {
      name: invalidateCdn.name,
      inputs: invalidateCdn.inputs,
      lookUp: () => ({ outcome: 'c-1' }),
      decide: () => nothingToDo,
    };
    await expect(given().when(overreaching, [{ key: 'index.html', eTag: 'e', sequencer: '01' }])).rejects.toMatchObject(
      new MissingDependencyError('invalidate-cdn', 'eventStore'),
    );
  });

  it(`given writes that conflict every time, then it gives up after ${DECIDE_ATTEMPTS} decisions with PersistentConflictError and leaves the state as it was`, async () => {
    let decisions = 0;
    const stale: Handler<string, string, 'recent'> = {
      name: 'project-recent',
      inputs: (keys) => keys,
      lookUp: () => ({ recent: true }),
      decide: () => {
        decisions++;
        // Always folded from a version the list is not at.
        return { writes: [{ kind: 'put-recent', next: { version: 8, entries: [] }, expectedVersion: 7 }], answers: [] };
      },
    };
    const listed = { version: 1, entries: [destination('a', 1)] };
    const scenario = given({ recent: listed });
    await expect(scenario.when(stale, ['destination#a'])).rejects.toBeInstanceOf(PersistentConflictError);
    expect(decisions).toBe(DECIDE_ATTEMPTS);
    expect((await scenario.stored()).recent).toEqual(listed);
  });
});
