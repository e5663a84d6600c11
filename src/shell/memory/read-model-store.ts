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
import type { RecentDestinations } from '../../domain/recent-destinations.js';
import { ExpectedVersionConflictError } from '../../errors/index.js';
import type { ReadModelStore } from '../../ports/index.js';
import { RECENT_DESTINATIONS_KEY } from '../../topology/topology.js';
import { asStored, later } from './as-stored.js';

export interface InMemoryReadModelStore extends ReadModelStore {
  /** Every stored destination view, by id (what a scan of the read-model table shows). */
  views(): Destination[];
  /**
   * The inline projection's write (see AppendUnit.destinations): whether each view follows
   * the stored one (`previousVersion`, 0 for none), and, only when all do, storing them. The
   * event store calls it in the same synchronous step as its own writes, so a unit stays all
   * or nothing.
   */
  readonly inline: {
    follows(destination: Destination, previousVersion: number): boolean;
    store(destinations: readonly Destination[]): void;
  };
}

export function createInMemoryReadModelStore(): InMemoryReadModelStore {
  const views = new Map<string, Destination>();
  let recent: RecentDestinations | null = null;
  let publications: PublicationHistory = emptyPublications;

  return {
    getDestination: (id) => later(() => asStored(views.get(id) ?? null)),

    getDestinations: (ids) =>
      later(() => [...new Set(ids)].flatMap((id) => (views.has(id) ? [asStored(views.get(id)!)] : []))),

    putDestination: (destination) =>
      later(() => {
        const stored = views.get(destination.id);
        if (stored && stored.version >= destination.version) return false;
        views.set(destination.id, asStored(destination));
        return true;
      }),

    getRecent: () => later(() => asStored(recent ?? { version: 0, entries: [] })),

    putRecent: (next, expectedVersion) =>
      later(() => {
        const holds = expectedVersion === 0 ? recent === null : recent?.version === expectedVersion;
        if (!holds) throw new ExpectedVersionConflictError([RECENT_DESTINATIONS_KEY]);
        // The item holds these attributes only, as the DynamoDB store writes it.
        recent = asStored({ version: next.version, entries: next.entries, floor: next.floor, listed: next.listed });
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

    views: () => [...views.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(asStored),

    inline: {
      follows(destination, previousVersion) {
        const stored = views.get(destination.id);
        return previousVersion === 0 ? stored === undefined : stored?.version === previousVersion;
      },
      store(destinations) {
        const copies = destinations.map(asStored); // all copied before any is stored: a refused copy stores none
        for (const destination of copies) views.set(destination.id, destination);
      },
    },
  };
}
