import { describe, expect, it } from 'vitest';
import type { Destination } from '../../src/domain/destination.js';
import { destination } from '../support/destinations.js';
import {
  emptyRecent,
  RECENT_CAPACITY,
  withDestination,
  type RecentDestinations,
} from '../../src/domain/recent-destinations.js';

/** Applies each destination in turn, keeping the list when nothing changes. */
const applyAll = (destinations: Destination[], capacity?: number): RecentDestinations =>
  destinations.reduce<RecentDestinations>((recent, d) => withDestination(recent, d, capacity) ?? recent, emptyRecent);

const ids = (recent: RecentDestinations | null): string[] => recent?.entries.map((entry) => entry.id) ?? [];

describe('withDestination', () => {
  it('given an empty list, when a destination arrives, then it is the only entry and the version is 1', () => {
    const next = withDestination(emptyRecent, destination('a', 1));
    expect(next).toEqual({ version: 1, entries: [destination('a', 1)] });
  });

  it('given destinations arriving in any order, when added, then they are listed newest first', () => {
    const recent = applyAll([destination('b', 2), destination('c', 3), destination('a', 1)]);
    expect(ids(recent)).toEqual(['c', 'b', 'a']);
  });

  it('given destinations proposed at the same instant, when added in either order, then the id breaks the tie the same way', () => {
    const one = applyAll([destination('x', 5), destination('y', 5), destination('z', 5)]);
    const other = applyAll([destination('z', 5), destination('x', 5), destination('y', 5)]);
    expect(ids(one)).toEqual(ids(other));
    expect(ids(one)).toEqual(['z', 'y', 'x']);
  });

  it('given a full list, when a newer destination arrives, then the oldest falls off to keep the capacity', () => {
    const full = applyAll([destination('a', 1), destination('b', 2), destination('c', 3)], 3);
    const next = withDestination(full, destination('d', 4), 3);
    expect(ids(next)).toEqual(['d', 'c', 'b']);
  });

  it('given a full list, when a destination older than all entries arrives, then nothing changes (null)', () => {
    const full = applyAll([destination('b', 2), destination('c', 3), destination('d', 4)], 3);
    expect(withDestination(full, destination('a', 1), 3)).toBeNull();
  });

  it('given the default capacity, when more destinations than it arrive, then exactly RECENT_CAPACITY are kept', () => {
    const many = Array.from({ length: RECENT_CAPACITY + 5 }, (_, i) =>
      destination(`d${String(i).padStart(2, '0')}`, i),
    );
    const recent = applyAll(many);
    expect(recent.entries).toHaveLength(RECENT_CAPACITY);
    expect(recent.entries[0]?.id).toBe(`d${RECENT_CAPACITY + 4}`);
  });

  it('given a listed destination, when a newer version arrives, then it replaces the entry in place', () => {
    const recent = applyAll([destination('a', 1), destination('b', 2)]);
    const validated = destination('a', 1, { status: 'LOCATION_VALIDATED', country: 'PT', version: 2 });
    const next = withDestination(recent, validated);
    expect(ids(next)).toEqual(['b', 'a']);
    expect(next?.entries[1]).toEqual(validated);
    expect(next?.version).toBe(recent.version + 1);
  });

  it.each([1, 2])(
    'given a listed destination at version 2, when version %d arrives, then nothing changes (null)',
    (version) => {
      const recent = applyAll([destination('a', 1, { status: 'LOCATION_VALIDATED', version: 2 })]);
      expect(withDestination(recent, destination('a', 1, { name: 'Stale', version }))).toBeNull();
    },
  );

  it('given a listed destination, when its location is rejected, then it is removed', () => {
    const recent = applyAll([destination('a', 1), destination('b', 2)]);
    const rejected = destination('a', 1, {
      status: 'LOCATION_REJECTED',
      locationRejectionReason: 'open sea',
      version: 2,
    });
    const next = withDestination(recent, rejected);
    expect(ids(next)).toEqual(['b']);
    expect(next?.version).toBe(recent.version + 1);
  });

  it('given a destination not listed, when it arrives already rejected, then nothing changes (null)', () => {
    const recent = applyAll([destination('b', 2)]);
    expect(withDestination(recent, destination('a', 1, { status: 'LOCATION_REJECTED', version: 2 }))).toBeNull();
  });

  it('given a change, when applied, then the version goes up by exactly one and the input is not mutated', () => {
    const recent: RecentDestinations = { version: 7, entries: [destination('a', 1)] };
    const next = withDestination(recent, destination('b', 2));
    expect(next?.version).toBe(8);
    expect(ids(recent)).toEqual(['a']);
  });

  it('given a destination let go to keep the capacity, when a rejection leaves room and an older destination arrives, then the older one stays out (the list is every visitable destination above its floor)', () => {
    // Capacity 2: a falls off when c arrives; its key becomes the floor.
    const full = applyAll([destination('a', 1), destination('b', 2), destination('c', 3)], 2);
    expect(ids(full)).toEqual(['c', 'b']);
    const holed = withDestination(full, destination('c', 3, { status: 'LOCATION_REJECTED', version: 2 }), 2)!;
    expect(ids(holed)).toEqual(['b']);
    // a (checked later, so its change arrives now) and an even older z are below the floor: a newer
    // one let go before them.
    expect(withDestination(holed, destination('a', 1, { status: 'LOCATION_VALIDATED', version: 2 }), 2)).toBeNull();
    expect(withDestination(holed, destination('z', 0), 2)).toBeNull();
    // Anything newer than the floor still enters.
    expect(ids(withDestination(holed, destination('d', 4), 2))).toEqual(['d', 'b']);
  });
});
