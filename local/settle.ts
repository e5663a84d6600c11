/**
 * When the local stack is settled: every record written to the streams so far has been read,
 * and every delivery it caused (and the records those wrote, and so on) has finished or been
 * dead-lettered. Counted, not guessed: in-flight work is tracked from the poller to the last
 * function, and a deadline turns a stuck delivery into an error naming it.
 */
import { withDeadline } from '../src/shell/runtime/deadline.js';
import type { AsyncInvoker } from './async-invoke.js';
import type { EventSourceMapping } from './event-source-mapping.js';
import type { StreamPoller } from './stream-poller.js';
import { VisitplannrError } from '../src/errors/index.js';

export class StackNotSettledError extends VisitplannrError {
  override readonly name = 'StackNotSettledError';
  readonly code = 'STACK_NOT_SETTLED';
  constructor(
    readonly deadlineMs: number,
    readonly inFlight: readonly string[],
  ) {
    const what = inFlight.length > 0 ? inFlight.join('; ') : 'nothing counted (a round was between steps)';
    super(`the stack did not settle within ${deadlineMs} ms; still in flight: ${what}`);
  }
}

/** Long enough for a retried, backed-off delivery under load; a stuck one is an error, not a hang. */
export const SETTLE_DEADLINE_MS = 60_000;

export interface Settler {
  settled(options?: { readonly deadlineMs?: number }): Promise<void>;
  /** What is under way now, one line per place, e.g. `validate-geolocation: 1 bus delivery (function paused)`. */
  inFlight(): string[];
  /** Waits for the deliveries under way (not for what they cause). */
  drain(): Promise<void>;
}

export interface Followed {
  readonly poller: StreamPoller;
  readonly table: string;
}

export function createSettler(parts: {
  readonly pollers: readonly Followed[];
  readonly mappings: readonly EventSourceMapping[];
  readonly invokers: readonly { readonly via: string; readonly invoker: Pick<AsyncInvoker, 'idle' | 'inFlight'> }[];
  readonly isPaused: (functionName: string) => boolean;
}): Settler {
  // Streams a settling round is still reading to their end (named when the round runs out of time).
  const unread = new Map<string, number>();
  const drain = async () => {
    await Promise.all(parts.mappings.map((mapping) => mapping.drain()));
    for (const { invoker } of parts.invokers) await invoker.idle();
  };
  const inFlight = (): string[] => {
    const state = (name: string) => (parts.isPaused(name) ? ' (function paused)' : '');
    const lines: string[] = [];
    for (const mapping of parts.mappings) {
      if (mapping.inFlight > 0)
        lines.push(`${mapping.name}: ${mapping.inFlight} stream record(s)${state(mapping.name)}`);
    }
    for (const { via, invoker } of parts.invokers) {
      for (const [name, count] of invoker.inFlight()) {
        lines.push(`${name}: ${count} ${via} deliver${count === 1 ? 'y' : 'ies'}${state(name)}`);
      }
    }
    for (const table of unread.keys()) lines.push(`stream of ${table}: not yet read to its end`);
    return lines;
  };
  const readToEnd = async ({ poller, table }: Followed) => {
    unread.set(table, (unread.get(table) ?? 0) + 1);
    try {
      await poller.caughtUp();
    } finally {
      const left = unread.get(table)! - 1;
      if (left === 0) unread.delete(table);
      else unread.set(table, left);
    }
  };
  // Handling a record writes new ones: settled is a round in which every stream, read to its
  // end after everything in flight finished, had nothing new.
  const delivered = () => parts.pollers.reduce((sum, { poller }) => sum + poller.delivered, 0);
  const round = async (): Promise<boolean> => {
    const before = delivered();
    await drain();
    await Promise.all(parts.pollers.map(readToEnd));
    return delivered() === before;
  };
  return {
    inFlight,
    drain,
    async settled({ deadlineMs = SETTLE_DEADLINE_MS } = {}) {
      let expired = false;
      const rounds = async () => {
        while (!expired && !(await round()));
      };
      await withDeadline(rounds(), deadlineMs, () => {
        expired = true;
        return new StackNotSettledError(deadlineMs, inFlight());
      });
    },
  };
}
