import type {
  CdnInvalidator,
  EventStore,
  NotificationPublisher,
  ReadModelStore,
  SiteBucket,
} from '../../ports/index.js';
import type { Log } from '../runtime/logger.js';
import { VisitplannrError } from '../../errors/index.js';

/**
 * What the runner may reach for a handler: only the parts its route uses are given (least
 * privilege), and asking for a missing one is a wiring error named at once.
 */
export interface RunnerDependencies {
  readonly eventStore?: EventStore;
  readonly readModels?: ReadModelStore;
  readonly site?: SiteBucket;
  readonly cdn?: CdnInvalidator;
  readonly publisher?: NotificationPublisher;
  /** ISO-8601 now. */
  readonly clock: () => string;
  readonly log: Log;
}

export class MissingDependencyError extends VisitplannrError {
  override readonly name = 'MissingDependencyError';
  readonly code = 'MISSING_DEPENDENCY';
  constructor(
    readonly handler: string,
    readonly dependency: string,
  ) {
    super(`${handler} needs ${dependency}, which its route does not use (see the topology's "uses")`);
  }
}

export function need<K extends keyof RunnerDependencies>(
  deps: RunnerDependencies,
  handler: string,
  dependency: K,
): NonNullable<RunnerDependencies[K]> {
  const part = deps[dependency];
  if (part === undefined) throw new MissingDependencyError(handler, dependency);
  return part;
}
