import { describe, expect, it } from 'vitest';
import { destination } from '../support/destinations.js';
import { emptyRecent } from '../../src/domain/recent-destinations.js';
import { foldIntoRecent, projectRecent } from '../../src/handlers/project-recent.js';

describe('foldIntoRecent', () => {
  it('given a batch of many changes, when folded, then the list changes once: one new version, newest first', () => {
    const next = foldIntoRecent(emptyRecent, [destination('a', 1), destination('c', 3), destination('b', 2)]);
    expect(next?.version).toBe(1);
    expect(next?.entries.map((entry) => entry.id)).toEqual(['c', 'b', 'a']);
  });

  it('given changes the list already reflects, when folded, then nothing is written', () => {
    const listed = foldIntoRecent(emptyRecent, [destination('a', 1)])!;
    expect(foldIntoRecent(listed, [destination('a', 1)])).toBeNull();
    expect(foldIntoRecent(listed, [])).toBeNull();
  });

  it('given a destination whose location was rejected, when folded, then it leaves the list, even within the batch that proposed it', () => {
    const listed = foldIntoRecent(emptyRecent, [destination('a', 1), destination('b', 2)])!;
    const rejected = destination('a', 1, { status: 'LOCATION_REJECTED', version: 2 });
    expect(foldIntoRecent(listed, [rejected])).toEqual({ version: 2, entries: [destination('b', 2)] });
    expect(
      foldIntoRecent(emptyRecent, [
        destination('c', 3),
        destination('c', 3, { status: 'LOCATION_REJECTED', version: 2 }),
      ]),
    ).toBeNull();
  });

  it('given an older view than the listed one, when folded, then the listed one stays', () => {
    const checked = destination('a', 1, { status: 'LOCATION_VALIDATED', country: 'BE', version: 2 });
    const listed = foldIntoRecent(emptyRecent, [checked])!;
    expect(foldIntoRecent(listed, [destination('a', 1)])).toBeNull();
  });
});

describe('project-recent stamps each destination as it enters the list', () => {
  const NOW = '2026-11-24T11:00:00.000Z';
  const LATER = '2026-11-24T11:00:05.000Z';

  it('given new destinations, then each is stamped with the time and the version it entered in; those already listed keep theirs', () => {
    const first = projectRecent.decide(
      ['a', 'b'],
      { recent: emptyRecent, destinations: [destination('a', 1), destination('b', 2)] },
      NOW,
    );
    const [write] = first.writes;
    if (write?.kind !== 'put-recent') throw new Error(`expected put-recent, got ${write?.kind}`);
    expect(write.next.listed).toEqual({ a: { at: NOW, version: 1 }, b: { at: NOW, version: 1 } });

    // b's location checked (a new view of it), c proposed: only c is new to the list.
    const checked = destination('b', 2, { status: 'LOCATION_VALIDATED', country: 'BE', version: 2 });
    const second = projectRecent.decide(
      ['b', 'c'],
      { recent: write.next, destinations: [checked, destination('c', 3)] },
      LATER,
    );
    const [next] = second.writes;
    if (next?.kind !== 'put-recent') throw new Error(`expected put-recent, got ${next?.kind}`);
    expect(next.next.listed).toEqual({
      a: { at: NOW, version: 1 },
      b: { at: NOW, version: 1 },
      c: { at: LATER, version: 2 },
    });
  });

  it('given a destination that leaves the list, then its stamp goes with it', () => {
    const listed = { ...foldIntoRecent(emptyRecent, [destination('a', 1)])!, listed: { a: { at: NOW, version: 1 } } };
    const rejected = destination('a', 1, { status: 'LOCATION_REJECTED', version: 2 });
    const [write] = projectRecent.decide(['a'], { recent: listed, destinations: [rejected] }, LATER).writes;
    expect(write).toMatchObject({ kind: 'put-recent', next: { entries: [], listed: {} } });
  });

  it('given an entry listed before stamps were kept, then it stays unstamped rather than get a wrong time', () => {
    const unstamped = foldIntoRecent(emptyRecent, [destination('a', 1)])!;
    const [write] = projectRecent.decide(
      ['b'],
      { recent: unstamped, destinations: [destination('b', 2)] },
      LATER,
    ).writes;
    expect(write).toMatchObject({ next: { listed: { b: { at: LATER, version: 2 } } } });
    expect(write?.kind === 'put-recent' && write.next.listed).not.toHaveProperty('a');
  });
});
