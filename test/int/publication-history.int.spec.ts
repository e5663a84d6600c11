/**
 * The publication history on DynamoDB Local: the renderer's records and the invalidator's
 * marks are separate attributes of one item, so they land in either order, never conflict,
 * and forgetting drops exactly what it names.
 */
import { describe, expect, it } from 'vitest';
import { PUBLICATIONS_KEY } from '../../src/topology/topology.js';
import { at } from '../support/destinations.js';
import { freshStores } from '../support/stores.js';
import { scanAll } from '../support/tables.js';

const nothingForgotten = { etags: [], forgottenThrough: 0 };

describe('the publication history in the read-model table', () => {
  it('given marks before and after their records, redelivered marks and a forgetting, then it holds what each write said', async () => {
    const { readModels, endpoint, tables } = await freshStores();
    expect(await readModels.getPublications()).toEqual({ publications: [], invalidations: {}, forgottenThrough: 0 });

    // S3 told the invalidator about page 2 before the renderer recorded it (etags quoted as S3 answers them).
    await readModels.markInvalidated('"e2"', at(3));
    await readModels.recordPublication({ etag: 'e1', projectionVersion: 1, publishedAt: at(1) }, nothingForgotten);
    await readModels.markInvalidated('e1', at(2));
    await readModels.recordPublication({ etag: '"e2"', projectionVersion: 2, publishedAt: at(2) }, nothingForgotten);
    await readModels.markInvalidated('e1', at(9)); // a redelivered notification: the first mark stays
    expect(await readModels.getPublications()).toEqual({
      publications: [
        { etag: 'e1', projectionVersion: 1, publishedAt: at(1) },
        { etag: 'e2', projectionVersion: 2, publishedAt: at(2) },
      ],
      invalidations: { e1: at(2), e2: at(3) },
      forgottenThrough: 0,
    });

    await readModels.recordPublication(
      { etag: 'e3', projectionVersion: 3, publishedAt: at(4) },
      { etags: ['e1'], forgottenThrough: 1 },
    );
    expect(await readModels.getPublications()).toEqual({
      publications: [
        { etag: 'e2', projectionVersion: 2, publishedAt: at(2) },
        { etag: 'e3', projectionVersion: 3, publishedAt: at(4) },
      ],
      invalidations: { e2: at(3) },
      forgottenThrough: 1,
    });
    // One item: the recent list and the destinations' views are never touched by it.
    const items = await scanAll(endpoint, tables.readModels);
    expect(items.map((item) => item['pk'])).toEqual([PUBLICATIONS_KEY]);
  });
});
