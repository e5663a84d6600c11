/**
 * project-recent through the real runner over the in-memory stores: given the destination
 * views (and the list) as stored, when the read-model stream delivers the changed keys, then
 * the recent list as stored. The fold's own corner cases that no stored state can present
 * (two versions of one destination in one fold) stay pure, at the end.
 */
import { describe, expect, it } from 'vitest';
import { destination } from '../support/destinations.js';
import { emptyRecent } from '../../src/domain/recent-destinations.js';
import { foldIntoRecent, projectRecent } from '../../src/handlers/project-recent.js';
import { given } from '../support/given-when-then.js';

const key = (id: string): string => `destination#${id}`;

describe('project-recent: changed destination views delivered by the read-model stream', () => {
  it('given a batch of many changes, when folded, then the list is written once: one new version, newest first', async () => {
    await given({ views: [destination('a', 1), destination('c', 3), destination('b', 2)] })
      .when(projectRecent, [key('a'), key('c'), key('b')])
      .then(({ writes, stored, changedKeys }) => {
        expect(writes.map((write) => write.kind)).toEqual(['put-recent']);
        expect(stored.recent.version).toBe(1);
        expect(stored.recent.entries.map((entry) => entry.id)).toEqual(['c', 'b', 'a']);
        expect(changedKeys).toEqual(['recent-destinations']);
      });
  });

  it('given changes the list already reflects, or of views not stored, when folded, then nothing is written', async () => {
    const listed = { version: 1, entries: [destination('a', 1)] };
    await given({ views: [destination('a', 1)], recent: listed })
      .when(projectRecent, [key('a'), key('unknown')])
      .then(({ writes, stored }) => {
        expect(writes).toEqual([]);
        expect(stored.recent).toEqual(listed);
      });
  });

  it('given keys that are not destination views, when delivered, then the list is not touched', async () => {
    await given({ views: [destination('a', 1)] })
      .when(projectRecent, ['recent-destinations'])
      .then(({ writes, stored }) => {
        expect(writes).toEqual([]);
        expect(stored.recent).toEqual(emptyRecent);
      });
  });

  it('given a destination whose location was rejected, when folded, then it leaves the list', async () => {
    const listed = { version: 1, entries: [destination('b', 2), destination('a', 1)] };
    const rejected = destination('a', 1, { status: 'LOCATION_REJECTED', version: 2 });
    await given({ views: [rejected, destination('b', 2)], recent: listed })
      .when(projectRecent, [key('a')])
      .then(({ stored }) => {
        // Its listing stamp goes with it (b was listed before stamps were kept).
        expect(stored.recent).toEqual({ version: 2, entries: [destination('b', 2)], listed: {} });
      });
  });

  it('given the proposed and the rejected change of one destination in one batch, when folded, then it never enters the list (the view is read as stored)', async () => {
    await given({ views: [destination('c', 3, { status: 'LOCATION_REJECTED', version: 2 })] })
      .when(projectRecent, [key('c'), key('c')])
      .then(({ writes, stored }) => {
        expect(writes).toEqual([]);
        expect(stored.recent).toEqual(emptyRecent);
      });
  });

  // Moved from test/int/redelivery.int.spec.ts ("recent destinations under racing projectors"): it needs no DynamoDB.
  it('given a fast projector already folded the rejection, when a slow one is handed the earlier change, then the destination is not put back', async () => {
    const proposedView = destination('d1', 0, { name: 'Nowhere', latitude: 30, longitude: -40 });
    // A fast projector folded the rejection (v2) and emptied the list; a slow one was handed the v1 change.
    const rejectedView = {
      ...proposedView,
      status: 'LOCATION_REJECTED' as const,
      locationRejectionReason: 'open sea',
      version: 2,
    };
    await given({ views: [rejectedView], recent: { version: 1, entries: [] } })
      .when(projectRecent, [key('d1')])
      .then(({ writes, stored }) => {
        expect(writes).toEqual([]);
        expect(stored.recent).toEqual({ version: 1, entries: [] });
      });
  });

  it('given the same batch delivered three times, when folded, then the list is written once and holds what one delivery made', async () => {
    const views = [destination('a', 1), destination('b', 2)];
    const once = await given({ views }).when(projectRecent, [key('a'), key('b')]);
    await given({ views })
      .when(projectRecent, [key('a'), key('b')], { deliveries: 3 })
      .then(({ stored, deliveries }) => {
        expect(stored).toEqual(once.stored);
        expect(deliveries.map((delivery) => delivery.writes.length)).toEqual([1, 0, 0]);
      });
  });

  it('given another projector wrote the list between this one reading and writing it, when folded, then the write is refused and the list is folded again from what is stored', async () => {
    const scenario = given({ views: [destination('a', 1), destination('b', 2)] });
    const [first, second] = await Promise.all([
      scenario.when(projectRecent, [key('a')]),
      scenario.when(projectRecent, [key('b')]),
    ]);
    expect([...first.deliveries[0]!.refused, ...second.deliveries[0]!.refused]).toHaveLength(1);
    const { recent } = await scenario.stored();
    expect(recent.version).toBe(2);
    expect(recent.entries.map((entry) => entry.id)).toEqual(['b', 'a']);
  });
});

describe('foldIntoRecent (pure): what no stored state can present', () => {
  it('given the proposed and the rejected view of one destination in one fold, then it never enters the list', () => {
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

  it('given no changes, then nothing is written', () => {
    expect(foldIntoRecent(foldIntoRecent(emptyRecent, [destination('a', 1)])!, [])).toBeNull();
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
