/**
 * Fault injection for drills and tests: an armed injector makes the wrapped event
 * store throw, as a DynamoDB error inside the handler would, so the handler's real
 * failure path (notify the caller, hand the record to the retry path) runs.
 */
import { VisitplannrError } from '../src/errors/index.js';
import type { EventStore } from '../src/ports/index.js';

export class InjectedFaultError extends VisitplannrError {
  override readonly name = 'InjectedFaultError';
  readonly code = 'INJECTED_FAULT';
  constructor(readonly target: string) {
    super(`injected fault in ${target}`);
  }
}

export interface FaultInjector {
  /** The next `count` event-store calls of this handler throw. */
  failNext(count: number): void;
  readonly armed: number;
}

export function withFaults(store: EventStore, target: string): { store: EventStore; injector: FaultInjector } {
  let remaining = 0;
  const trip = (): void => {
    if (remaining > 0) {
      remaining--;
      throw new InjectedFaultError(target);
    }
  };
  const guarded = Object.fromEntries(
    Object.entries(store).map(([method, fn]) => [
      method,
      (...args: unknown[]) => (trip(), (fn as (...a: unknown[]) => unknown).apply(store, args)),
    ]),
  ) as unknown as EventStore;
  return {
    store: guarded,
    injector: {
      failNext: (count) => void (remaining = count),
      get armed() {
        return remaining;
      },
    },
  };
}
