/**
 * Appends asked for in the same turn of the event loop go to the store as one call, so
 * a batch whose records are handled in parallel (Powertools' batch processor) is written
 * in as few transactions as fit, while each record's flow still reads as "append mine".
 */
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
      // One failed transaction fails every unit of the call; units that were written find their positions taken when retried.
      for (const entry of taken) entry.reject(error);
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
