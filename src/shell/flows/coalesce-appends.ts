/**
 * Appends asked for in the same turn of the event loop go to the store as one call, so
 * a batch whose records are handled in parallel (Powertools' batch processor) is written
 * in as few transactions as fit, while each record's flow still reads as "append mine".
 */
import { PartialAppendError } from '../../errors/index.js';
import type { AppendOutcome, AppendUnit, EventStore } from '../../ports/index.js';

interface Waiting {
  readonly units: readonly AppendUnit[];
  readonly resolve: (outcomes: AppendOutcome[]) => void;
  readonly reject: (error: unknown) => void;
}

export function coalesceAppends(store: EventStore): EventStore {
  let waiting: Waiting[] = [];

  const flush = async (): Promise<void> => {
    const taken = waiting;
    waiting = [];
    try {
      const outcomes = await store.appendUnits(taken.flatMap((entry) => entry.units));
      let offset = 0;
      for (const entry of taken) {
        entry.resolve(outcomes.slice(offset, offset + entry.units.length));
        offset += entry.units.length;
      }
    } catch (error) {
      // Only the callers whose units were in a failed transaction fail; the others were written.
      let offset = 0;
      for (const entry of taken) {
        const mine = error instanceof PartialAppendError ? error.outcomes.slice(offset, offset + entry.units.length) : null;
        offset += entry.units.length;
        if (mine && !mine.includes('failed')) entry.resolve(mine as AppendOutcome[]);
        else entry.reject(error instanceof PartialAppendError ? error.cause : error);
      }
    }
  };

  return {
    ...store,
    appendUnits(units) {
      return new Promise<AppendOutcome[]>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(() => void flush());
        waiting.push({ units, resolve, reject });
      });
    },
  };
}
