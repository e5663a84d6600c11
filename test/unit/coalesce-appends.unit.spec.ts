/**
 * Coalescing appends: the splitting of one store call's outcomes back to its callers. The store
 * is scripted (what the DynamoDB store answers is tested on DynamoDB Local in event-store.int).
 */
import { describe, expect, it } from 'vitest';
import { PartialAppendError } from '../../src/errors/index.js';
import type { AppendOutcome, AppendUnit, EventStore } from '../../src/ports/index.js';
import { coalesceAppends } from '../../src/shell/runner/coalesce-appends.js';

const unit = (streamId: string): AppendUnit => ({ records: [{ streamId } as never] });

function scriptedStore(answer: (units: readonly AppendUnit[]) => Promise<AppendOutcome[]>) {
  const calls: string[][] = [];
  const store = {
    appendUnits: async (units: readonly AppendUnit[]) => {
      calls.push(units.map((entry) => entry.records[0]!.streamId));
      return answer(units);
    },
  } as unknown as EventStore;
  return { store: coalesceAppends(store), calls };
}

describe('coalesceAppends', () => {
  it('given appends asked for in the same turn, then the store gets one call and each caller its own outcomes', async () => {
    const { store, calls } = scriptedStore((units) =>
      Promise.resolve(units.map((entry) => (entry.records[0]!.streamId === 'b' ? 'conflict' : 'appended'))),
    );
    const answers = await Promise.all([store.appendUnits([unit('a')]), store.appendUnits([unit('b'), unit('c')])]);
    expect(calls).toEqual([['a', 'b', 'c']]);
    expect(answers).toEqual([['appended'], ['conflict', 'appended']]);
  });

  it('given one transaction of the call failed, then only the callers with a unit in it fail, with its cause', async () => {
    const cause = new Error('throttled');
    const { store } = scriptedStore(() =>
      Promise.reject(new PartialAppendError(['appended', 'failed', 'conflict'], { cause })),
    );
    const answers = await Promise.allSettled([
      store.appendUnits([unit('a')]),
      store.appendUnits([unit('b')]),
      store.appendUnits([unit('c')]),
    ]);
    expect(answers).toEqual([
      { status: 'fulfilled', value: ['appended'] },
      { status: 'rejected', reason: cause },
      { status: 'fulfilled', value: ['conflict'] },
    ]);
  });

  it('given the whole call failed otherwise, then every caller fails with that error', async () => {
    const failure = new Error('network');
    const { store } = scriptedStore(() => Promise.reject(failure));
    const answers = await Promise.allSettled([store.appendUnits([unit('a')]), store.appendUnits([unit('b')])]);
    expect(answers).toEqual([
      { status: 'rejected', reason: failure },
      { status: 'rejected', reason: failure },
    ]);
  });
});
