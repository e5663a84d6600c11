/**
 * project-recent: changed destinations → the recent-destinations list. Pure: the shell
 * passes the list as stored and the changed destinations as stored now; the answer is the
 * next list, or null when nothing changes. However many changes a batch holds, the list
 * is written once: its item is not rewritten on every mutation.
 */
import type { Destination } from '../domain/destination.js';
import { type RecentDestinations, withDestination } from '../domain/recent-destinations.js';

export function projectRecent(recent: RecentDestinations, changed: readonly Destination[]): RecentDestinations | null {
  const next = changed.reduce<RecentDestinations>((list, destination) => {
    const placed = withDestination(list, destination);
    return placed ? { ...placed, version: list.version } : list;
  }, recent);
  const unchanged =
    next.entries.length === recent.entries.length && next.entries.every((entry, i) => entry === recent.entries[i]);
  return unchanged ? null : { ...next, version: recent.version + 1 };
}
