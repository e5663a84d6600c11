/**
 * project-recent: changed destinations → the recent-destinations list. However many changes
 * a batch holds, the list is written once: its item is not rewritten on every mutation. The
 * destinations are read after the list (see the runner's look-up order), so a writer racing
 * another either sees the newer views the other folded or loses the conditional write and
 * looks again: a rejected destination is never put back by a stale view. Each destination that
 * enters the list is stamped with when and in which version (see RecentDestinations.listed).
 */
import type { Destination } from '../domain/destination.js';
import { listingsOf, type RecentDestinations, withDestination } from '../domain/recent-destinations.js';
import { DESTINATION_KEY_PREFIX } from '../topology/topology.js';
import { type Handler, nothingToDo } from './handler.js';

export function foldIntoRecent(recent: RecentDestinations, changed: readonly Destination[]): RecentDestinations | null {
  const next = changed.reduce<RecentDestinations>((list, destination) => {
    const placed = withDestination(list, destination);
    return placed ? { ...placed, version: list.version } : list;
  }, recent);
  const unchanged =
    next.entries.length === recent.entries.length && next.entries.every((entry, i) => entry === recent.entries[i]);
  return unchanged ? null : { ...next, version: recent.version + 1 };
}

/** The ids of the destinations whose views changed, from the read-model stream's keys. */
const changedDestinationIds = (keys: readonly string[]): string[] => [
  ...new Set(
    keys.filter((key) => key.startsWith(DESTINATION_KEY_PREFIX)).map((key) => key.slice(DESTINATION_KEY_PREFIX.length)),
  ),
];

export const projectRecent: Handler<string, readonly string[], 'recent' | 'destinations'> = {
  name: 'project-recent',
  inputs: (keys) => {
    const ids = changedDestinationIds(keys);
    return ids.length > 0 ? [ids] : [];
  },
  lookUp: (ids) => ({ recent: true, destinations: ids }),
  decide(_ids, { recent, destinations }, now) {
    const next = foldIntoRecent(recent, destinations);
    if (!next) return nothingToDo;
    // Stamped in the write the batch makes anyway: a command's journey reads when its destination was listed.
    const stamped = { ...next, listed: listingsOf(recent, next, now) };
    return { writes: [{ kind: 'put-recent', next: stamped, expectedVersion: recent.version }], answers: [] };
  },
};
