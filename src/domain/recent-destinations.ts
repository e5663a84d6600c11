/**
 * The recent-destinations projection: one item holding the newest visitable
 * destinations, so reading it costs one GetItem however many destinations exist.
 */
import type { Destination } from './destination.js';

export const RECENT_CAPACITY = 50;

export interface RecentDestinations {
  /** Bumped on every change; the store writes with an optimistic check on it. */
  readonly version: number;
  /** Newest first. */
  readonly entries: readonly Destination[];
  /**
   * The sort key of the newest destination let go to keep the list within its capacity.
   * Nothing at or below it enters again, so the list is always every visitable destination
   * newer than the floor, whatever order their changes arrive in (a rejection leaves a
   * hole instead of letting an older destination in ahead of a newer one let go before).
   */
  readonly floor?: string;
  /**
   * When each listed destination entered the list, and the list version it entered in
   * (project-recent stamps it in the write it makes anyway; kept while the destination stays
   * listed): where a command's journey learns when it was projected and which page showed it first.
   */
  readonly listed?: Readonly<Record<string, Listing>>;
}

export interface Listing {
  readonly at: string;
  readonly version: number;
}

export const emptyRecent: RecentDestinations = { version: 0, entries: [] };

const newestFirst = (a: Destination, b: Destination): number =>
  a.proposedAt === b.proposedAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.proposedAt < b.proposedAt ? 1 : -1;

/** Orders as newestFirst does, as one string (ISO times and ids are fixed-width). */
const sortKey = (destination: Destination): string => `${destination.proposedAt}#${destination.id}`;

/**
 * Places `destination` in the list, or removes it once its location is rejected
 * (nobody can visit nowhere). Returns null when nothing changes, e.g. when an older
 * view of the destination arrives after a newer one.
 */
export function withDestination(
  recent: RecentDestinations,
  destination: Destination,
  capacity = RECENT_CAPACITY,
): RecentDestinations | null {
  const existing = recent.entries.find((entry) => entry.id === destination.id);
  if (existing && existing.version >= destination.version) return null;
  if (!existing && recent.floor !== undefined && sortKey(destination) <= recent.floor) return null;
  const others = recent.entries.filter((entry) => entry.id !== destination.id);
  const ranked = destination.status === 'LOCATION_REJECTED' ? others : [...others, destination].sort(newestFirst);
  const entries = ranked.slice(0, capacity);
  const letGo = ranked[capacity];
  const unchanged =
    entries.length === recent.entries.length && entries.every((entry, i) => entry === recent.entries[i]);
  if (unchanged) return null;
  const floor = letGo && (recent.floor === undefined || sortKey(letGo) > recent.floor) ? sortKey(letGo) : recent.floor;
  return { version: recent.version + 1, entries, ...(floor === undefined ? {} : { floor }) };
}

/**
 * The listings of `next` (a list folded from `previous`): destinations already listed keep
 * theirs (an entry listed before listings were kept stays without one rather than get a wrong
 * time), destinations that entered now get `at` and `next`'s version, and those that left lose theirs.
 */
export function listingsOf(
  previous: RecentDestinations,
  next: RecentDestinations,
  at: string,
): Readonly<Record<string, Listing>> {
  const before = new Set(previous.entries.map((entry) => entry.id));
  const listed: Record<string, Listing> = {};
  for (const { id } of next.entries) {
    const kept = previous.listed?.[id];
    if (kept) listed[id] = kept;
    else if (!before.has(id)) listed[id] = { at, version: next.version };
  }
  return listed;
}
