import { describe, expect, it } from 'vitest';
import {
  bareEtag,
  emptyPublications,
  forgettingFor,
  pageReached,
  type PublicationHistory,
  withInvalidation,
  withPublication,
} from '../../src/domain/publications.js';
import { at } from '../support/destinations.js';

/** The history after recording `versions` in order, each page `e<version>` published at minute `version`. */
const recorded = (versions: number[], capacity?: number): PublicationHistory =>
  versions.reduce((history, version) => {
    const etag = `e${version}`;
    return withPublication(
      history,
      { etag, projectionVersion: version, publishedAt: at(version) },
      forgettingFor(history, null, capacity),
    );
  }, emptyPublications);

describe('the publication history', () => {
  it('given S3 quotes etags in answers and not in notifications, then both spell the same key', () => {
    expect(bareEtag('"9b2cf535f27731c974343645a3985328"')).toBe('9b2cf535f27731c974343645a3985328');
    expect(bareEtag('9b2cf535f27731c974343645a3985328')).toBe('9b2cf535f27731c974343645a3985328');
  });

  it('given more publications than it holds, then the oldest are forgotten, with their marks, and it says up to which version', () => {
    let history = recorded([1, 2, 3], 3);
    history = withInvalidation(history, 'e1', at(1));
    const forgetting = forgettingFor(history, null, 3);
    expect(forgetting).toEqual({ etags: ['e1'], forgottenThrough: 1 });
    history = withPublication(history, { etag: 'e4', projectionVersion: 4, publishedAt: at(4) }, forgetting);
    expect(history.publications.map((publication) => publication.projectionVersion)).toEqual([2, 3, 4]);
    expect(history.invalidations).toEqual({});
    expect(history.forgottenThrough).toBe(1);
  });

  it('given the invalidator marked a page before the renderer recorded it, then the mark is kept and joins the page', () => {
    const marked = withInvalidation(recorded([1]), '"e2"', at(3));
    expect(forgettingFor(marked, 'e2').etags).toEqual([]);
    const history = withPublication(
      marked,
      { etag: 'e2', projectionVersion: 2, publishedAt: at(2) },
      forgettingFor(marked, 'e2'),
    );
    expect(pageReached(history, 2)).toEqual({
      known: true,
      published: { etag: 'e2', projectionVersion: 2, publishedAt: at(2) },
      invalidatedAt: at(3),
    });
  });

  it('given a redelivered notification, then the first mark stays', () => {
    const once = withInvalidation(recorded([1]), 'e1', at(2));
    expect(withInvalidation(once, 'e1', at(9))).toBe(once);
  });
});

describe('pageReached', () => {
  const history = withInvalidation(withInvalidation(recorded([3, 5, 8]), 'e5', at(6)), 'e8', at(9));

  it('given a list version that was rendered, then that page, and its invalidation', () => {
    expect(pageReached(history, 5)).toMatchObject({ known: true, published: { etag: 'e5' }, invalidatedAt: at(6) });
  });

  it('given a list version never rendered on its own (renders coalesce), then the first newer page', () => {
    expect(pageReached(history, 6)).toMatchObject({ known: true, published: { etag: 'e8' }, invalidatedAt: at(9) });
  });

  it("given the first page's invalidation is missing, then a later page's counts: it shows the change too", () => {
    expect(pageReached(history, 4)).toMatchObject({ published: { etag: 'e5' }, invalidatedAt: at(6) });
    expect(pageReached(recorded([3, 5]), 4)).toMatchObject({ published: { etag: 'e5' }, invalidatedAt: null });
    expect(pageReached(withInvalidation(recorded([3, 5, 8]), 'e8', at(9)), 4)).toMatchObject({
      published: { etag: 'e5' },
      invalidatedAt: at(9),
    });
  });

  it('given no page of that version yet, then not yet; given the first may be forgotten, then it is not claimed', () => {
    expect(pageReached(history, 9)).toEqual({ known: false, reason: 'not-yet' });
    const trimmed = recorded([1, 2, 3, 4], 2);
    expect(trimmed.forgottenThrough).toBe(2);
    expect(pageReached(trimmed, 2)).toEqual({ known: false, reason: 'forgotten' });
    expect(pageReached(trimmed, 3)).toMatchObject({ known: true, published: { etag: 'e3' } });
  });
});
