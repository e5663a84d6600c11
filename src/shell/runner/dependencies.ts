import type {
  CdnInvalidator,
  EventStore,
  NotificationPublisher,
  ReadModelStore,
  SiteBucket,
} from '../../ports/index.js';
import type { AnyRoute, Capability } from '../../topology/topology.js';
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

/**
 * The part of the dependencies each capability of a route needs: the same list grants the
 * function's IAM (infra/constructs/capabilities.ts), so a handler reaches exactly what it may.
 * A new capability is a type error here until it names its part.
 */
export const DEPENDENCY_OF_CAPABILITY = {
  'events:read': 'eventStore',
  'events:append': 'eventStore',
  'read-models:read': 'readModels',
  'read-models:write': 'readModels',
  'publications:write': 'readModels',
  'site:write': 'site',
  'site:read': 'site',
  'cdn:invalidate': 'cdn',
  notifications: 'publisher',
} as const satisfies Record<Capability, keyof RunnerDependencies>;

/** The parts of the dependencies a route's handler is given. */
export const dependenciesUsedBy = (route: Pick<AnyRoute, 'uses'>): ReadonlySet<keyof RunnerDependencies> =>
  new Set(route.uses.map((capability) => DEPENDENCY_OF_CAPABILITY[capability]));
