/**
 * The read models in memory, with the semantics of the DynamoDB store (src/shell/dynamodb/
 * read-model-store.ts), proved by the same contract suite (test/contract): views never go
 * backwards, the recent list is written only over the version it was folded from, and what
 * is stored is a copy (see asStored). For tests and tools that need no DynamoDB.
 *
 * @example
 * const readModels = createInMemoryReadModelStore();
 * const eventStore = createInMemoryEventStore({ readModels }); // its inline views land here
 */
import type { Destination } from '../../domain/destination.js';
import {
  bareEtag,
  emptyPublications,
  type PublicationHistory,
  withInvalidation,
  withPublication,
} from '../../domain/publications.js';
import { emptyRecent, type RecentDestinations } from '../../domain/recent-destinations.js';
import type { TraceCarrier } from '../../domain/trace.js';
import { ExpectedVersionConflictError } from '../../errors/index.js';
import type { ReadModelStore, Traced } from '../../ports/index.js';
import { RECENT_DESTINATIONS_KEY } from '../../topology/topology.js';
import { asStored, later } from './as-stored.js';

export interface InMemoryReadModelStore extends ReadModelStore {
  /** Every stored destination view, by id (what a scan of the read-model table shows). */
  views(): Destination[];
  /**
   * The inline projection's write (see AppendUnit.destinations): whether each view follows
   * the stored one (`previousVersion`, 0 for none), and, only when all do, storing them with
   * the append's trace. The event store calls it in the same synchronous step as its own
   * writes, so a unit stays all or nothing.
   */
  readonly inline: {
    follows(destination: Destination, previousVersion: number): boolean;
    store(destinations: readonly Destination[], trace?: TraceCarrier): void;
  };
}

export function createInMemoryReadModelStore(): InMemoryReadModelStore {
  // Each with the trace stored beside it, as the DynamoDB items hold it (an attribute of its own).
  const views = new Map<string, Traced<Destination>>();
  let recent: Traced<RecentDestinations> | null = null;
  const storedWithTrace = <T>(value: T, trace: TraceCarrier | undefined): Traced<T> =>
    asStored(trace ? { value, trace } : { value });
  let publications: PublicationHistory = emptyPublications;

  return {
    getDestination: (id) => later(() => asStored(views.get(id)?.value ?? null)),

    getDestinations: (ids) =>
      later(() => [...new Set(ids)].flatMap((id) => (views.has(id) ? [asStored(views.get(id)!)] : []))),

    putDestination: (destination) =>
      later(() => {
        const stored = views.get(destination.id);
        if (stored && stored.value.version >= destination.version) return false;
        views.set(destination.id, storedWithTrace(destination, undefined));
        return true;
      }),

    getRecent: () => later(() => asStored(recent ?? { value: emptyRecent })),

    putRecent: (next, expectedVersion, trace) =>
      later(() => {
        const holds = expectedVersion === 0 ? recent === null : recent?.value.version === expectedVersion;
        if (!holds) throw new ExpectedVersionConflictError([RECENT_DESTINATIONS_KEY]);
        // The item holds these attributes only, as the DynamoDB store writes it.
        const { version, entries, floor, listed } = next;
        recent = storedWithTrace({ version, entries, floor, listed }, trace);
      }),

    getPublications: () => later(() => asStored(publications)),

    recordPublication: (publication, forgetting) =>
      later(() => {
        publications = asStored(
          withPublication(publications, { ...publication, etag: bareEtag(publication.etag) }, forgetting),
        );
      }),

    markInvalidated: (etag, at) =>
      later(() => {
        publications = asStored(withInvalidation(publications, etag, at));
      }),

    views: () =>
      [...views.values()]
        .map(({ value }) => value)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(asStored),

    inline: {
      follows(destination, previousVersion) {
        const stored = views.get(destination.id);
        return previousVersion === 0 ? stored === undefined : stored?.value.version === previousVersion;
      },
      store(destinations, trace) {
        // All copied before any is stored: a refused copy stores none.
        const copies = destinations.map((destination) => storedWithTrace(destination, trace));
        for (const copy of copies) views.set(copy.value.id, copy);
      },
    },
  };
}
