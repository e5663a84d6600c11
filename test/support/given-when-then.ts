/**
 * Given / when / then for handlers: the REAL runner (runDelivery: look up → decide →
 * conditional write → on conflict look again → notify) over the in-memory stores, which pass
 * the same contract suites as the DynamoDB and S3 adapters (test/contract). No Java, no Redis.
 *
 *   given: what is stored (records, destination views, the recent list, published pages)
 *   when:  a handler gets messages, in `deliveries` deliveries of the same messages (at least once)
 *   then:  what is stored after, what each delivery wrote, refused and told
 *
 * @example
 * await given({ records: [command] })
 *   .when(decide, [command], { deliveries: 2 })
 *   .then(({ stored, deliveries }) => {
 *     expect(stored.views).toHaveLength(1);
 *     expect(deliveries[1]!.writes).toEqual([]); // the redelivery wrote nothing...
 *     expect(deliveries[1]!.notifications).toEqual(deliveries[0]!.notifications); // ...and told the same again
 *   });
 *
 * A scenario keeps its stores between `when`s, so a test can follow a proposal from handler to
 * handler (`appended` and `changedKeys` are what the next handler's stream would carry), and
 * several `when`s may run at once (each delivery records only its own writes).
 */
import type { Destination } from '../../src/domain/destination.js';
import type { AnyRecord } from '../../src/domain/messages.js';
import type { Notification } from '../../src/domain/notifications.js';
import type { RecentDestinations } from '../../src/domain/recent-destinations.js';
import { ExpectedVersionConflictError, PartialAppendError, PublishConflictError } from '../../src/errors/index.js';
import type { AnyHandler, Handler, StoredState, Write } from '../../src/handlers/handler.js';
import type { InvalidationRequest, SiteObject } from '../../src/ports/index.js';
import { createInMemoryEventStore } from '../../src/shell/memory/event-store.js';
import { createInMemoryReadModelStore } from '../../src/shell/memory/read-model-store.js';
import { createRecordingCdn, createRecordingPublisher } from '../../src/shell/memory/recorders.js';
import { createInMemorySiteBucket, type StoredSiteObject } from '../../src/shell/memory/site-bucket.js';
import { coalesceAppends } from '../../src/shell/runner/coalesce-appends.js';
import { dependenciesUsedBy, type RunnerDependencies } from '../../src/shell/runner/dependencies.js';
import { runDelivery } from '../../src/shell/runner/run-handler.js';
import type { Log } from '../../src/shell/runtime/logger.js';
import { DESTINATION_KEY_PREFIX, RECENT_DESTINATIONS_KEY, topology } from '../../src/topology/topology.js';

/** The clock every delivery reads unless the scenario names another. */
export const GIVEN_NOW = '2026-11-24T10:00:00.000Z';

export interface Given {
  /** Records already in the event table (each at its own stream position). */
  readonly records?: readonly AnyRecord[];
  /** Destination views already in the read-model table. */
  readonly views?: readonly Destination[];
  /** The recent-destinations list as stored (written over nothing, so at any version). */
  readonly recent?: RecentDestinations;
  /** Objects already in the site bucket (the published page). */
  readonly published?: readonly SiteObject[];
  /** ISO-8601 now, for every delivery. */
  readonly now?: string;
}

/** Everything the stores hold, each part in a stable order. */
export interface Stored {
  /** By stream id, then version. */
  readonly records: AnyRecord[];
  /** By destination id. */
  readonly views: Destination[];
  readonly recent: RecentDestinations;
  /** The site bucket's objects (with their etags), by key. */
  readonly site: StoredSiteObject[];
  /** The distinct CDN invalidations (one per caller reference, as CloudFront keeps them). */
  readonly invalidations: InvalidationRequest[];
}

/** What one delivery did. */
export interface Delivered {
  /** The writes that took effect, in order. */
  readonly writes: Write[];
  /** The writes refused because the state had changed since it was read or assumed (the runner then looked again). */
  readonly refused: Write[];
  /** What the waiting callers were told, in order. */
  readonly notifications: Notification[];
}

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly context: unknown;
}

/** The `then` of a scenario: what its `when` did, and what is stored after it. */
export interface Outcome {
  /** One entry per delivery, in order. */
  readonly deliveries: Delivered[];
  /** Every delivery's writes that took effect, in order. */
  readonly writes: Write[];
  /** Every delivery's notifications, in order. */
  readonly notifications: Notification[];
  /** The records appended, in order: what the event table's stream would carry on. */
  readonly appended: AnyRecord[];
  /** The read-model keys written, in order: what the read-model table's stream would carry on. */
  readonly changedKeys: string[];
  readonly stored: Stored;
  /** What the runner logged. */
  readonly logs: LogLine[];
}

export interface Scenario {
  /**
   * Delivers `messages` to `handler` through the runner, `deliveries` times one after another
   * (default 1), with only the stores its topology route uses (as deployed). Rejects with the
   * first delivery's error that the runner threw (after telling the caller, see `published`).
   */
  when<Message, Input, Keys extends keyof StoredState>(
    handler: Handler<Message, Input, Keys>,
    messages: readonly Message[],
    options?: { readonly deliveries?: number },
  ): Promise<Outcome>;
  /** What the stores hold now. */
  stored(): Promise<Stored>;
  /** Every notification published in this scenario, failed deliveries' included. */
  readonly published: readonly Notification[];
}

export function given(state: Given = {}): Scenario {
  const readModels = createInMemoryReadModelStore();
  const rawEventStore = createInMemoryEventStore({ readModels });
  // As composed for deployment: appends asked for in the same turn share one store call.
  const eventStore = coalesceAppends(rawEventStore);
  const site = createInMemorySiteBucket();
  const cdn = createRecordingCdn();
  const publisher = createRecordingPublisher();
  const clock = () => state.now ?? GIVEN_NOW;

  const ready = (async () => {
    for (const record of state.records ?? []) await rawEventStore.appendAtomically([record]);
    for (const view of state.views ?? []) await readModels.putDestination(view);
    if (state.recent) await readModels.putRecent(state.recent, 0);
    for (const object of state.published ?? []) await site.put(object, null);
  })();

  const stored = async (): Promise<Stored> => {
    await ready;
    return {
      records: rawEventStore.records(),
      views: readModels.views(),
      recent: (await readModels.getRecent()).value,
      site: site.objects(),
      invalidations: cdn.invalidations(),
    };
  };

  /** The dependencies of one delivery: the route's parts, each recording what this delivery wrote. */
  function dependencies(handler: AnyHandler, delivered: Delivered, logs: LogLine[]): RunnerDependencies {
    const route = topology.find((candidate) => candidate.handler === handler.name);
    if (!route) throw new Error(`the topology has no route for ${handler.name}`);
    // Only the parts the route uses, as the composition root gives them.
    const used = dependenciesUsedBy(route);
    const record = (write: Write, fate: 'written' | 'refused') =>
      (fate === 'written' ? delivered.writes : delivered.refused).push(write);
    const log = (level: LogLine['level']) => (message: unknown, context?: unknown) =>
      void logs.push({ level, message: String(message), context });

    return {
      ...(used.has('eventStore')
        ? {
            eventStore: {
              ...eventStore,
              async appendUnits(units) {
                const fates = await eventStore.appendUnits(units).catch((error: unknown) => {
                  if (error instanceof PartialAppendError) note(error.outcomes);
                  throw error;
                });
                note(fates);
                return fates;
                function note(outcomes: readonly string[]) {
                  units.forEach((unit, i) => {
                    if (outcomes[i] === 'appended') record({ kind: 'append', unit }, 'written');
                    if (outcomes[i] === 'conflict') record({ kind: 'append', unit }, 'refused');
                  });
                }
              },
            },
          }
        : {}),
      ...(used.has('readModels')
        ? {
            readModels: {
              ...readModels,
              async putRecent(next, expectedVersion, trace) {
                const write: Write = { kind: 'put-recent', next, expectedVersion };
                await readModels.putRecent(next, expectedVersion, trace).catch((error: unknown) => {
                  if (error instanceof ExpectedVersionConflictError) record(write, 'refused');
                  throw error;
                });
                record(write, 'written');
              },
            },
          }
        : {}),
      ...(used.has('site')
        ? {
            site: {
              ...site,
              async put(object, expected, trace) {
                const write: Write = { kind: 'publish', object, expected };
                const etag = await site.put(object, expected, trace).catch((error: unknown) => {
                  if (error instanceof PublishConflictError) record(write, 'refused');
                  throw error;
                });
                record(write, 'written');
                return etag;
              },
            },
          }
        : {}),
      ...(used.has('cdn')
        ? {
            cdn: {
              async invalidate(request) {
                const id = await cdn.invalidate(request);
                record({ kind: 'invalidate', request }, 'written');
                return id;
              },
            },
          }
        : {}),
      ...(used.has('publisher')
        ? {
            publisher: {
              async publish(notification) {
                await publisher.publish(notification);
                delivered.notifications.push(notification);
              },
            },
          }
        : {}),
      clock,
      log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } as Log,
    };
  }

  return {
    published: publisher.published,
    stored,
    async when(handler, messages, { deliveries = 1 } = {}) {
      await ready;
      const logs: LogLine[] = [];
      const outcomes: Delivered[] = [];
      for (let i = 0; i < deliveries; i++) {
        const delivered: Delivered = { writes: [], refused: [], notifications: [] };
        outcomes.push(delivered);
        await runDelivery(handler, messages, dependencies(handler, delivered, logs));
      }
      const writes = outcomes.flatMap((delivered) => delivered.writes);
      return {
        deliveries: outcomes,
        writes,
        notifications: outcomes.flatMap((delivered) => delivered.notifications),
        appended: writes.flatMap((write) => (write.kind === 'append' ? write.unit.records : [])),
        changedKeys: writes.flatMap((write) =>
          write.kind === 'append'
            ? (write.unit.destinations ?? []).map(({ destination }) => `${DESTINATION_KEY_PREFIX}${destination.id}`)
            : write.kind === 'put-recent'
              ? [RECENT_DESTINATIONS_KEY]
              : [],
        ),
        stored: await stored(),
        logs,
      };
    },
  };
}
