import { describe, expect, it } from 'vitest';
import { destination } from '../support/destinations.js';
import { emptyRecent } from '../../src/domain/recent-destinations.js';
import { foldIntoRecent } from '../../src/handlers/project-recent.js';

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
