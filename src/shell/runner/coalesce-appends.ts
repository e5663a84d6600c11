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
    let fates: readonly (AppendOutcome | 'failed')[];
    let failure: unknown;
    try {
      fates = await store.appendUnits(taken.flatMap((entry) => entry.units));
    } catch (error) {
      if (!(error instanceof PartialAppendError)) {
        for (const entry of taken) entry.reject(error);
        return;
      }
      // Only the callers whose units were in a failed transaction fail; the others were written.
      fates = error.outcomes;
      failure = error.cause;
    }
    let offset = 0;
    for (const entry of taken) {
      const mine = fates.slice(offset, (offset += entry.units.length));
      if (mine.includes('failed')) entry.reject(failure);
      else entry.resolve(mine as AppendOutcome[]);
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
