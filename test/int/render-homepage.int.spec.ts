/**
 * The render flow on real parts: the read-model table in DynamoDB Local and the site
 * bucket in s3rver, written through the real S3 client with conditional writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Destination } from '../../src/domain/destination.js';
import { bareEtag } from '../../src/domain/publications.js';
import { HOMEPAGE_KEY } from '../../src/site/assets.js';
import { renderHomepage } from '../../src/handlers/render-homepage.js';
import type { PublishedObject, ReadModelStore, SiteBucket, SiteObject } from '../../src/ports/index.js';
import { PersistentConflictError, runHandler } from '../../src/shell/runner/run-handler.js';
import { type LocalSiteBucket, startLocalSiteBucket } from '../../local/s3rver-bucket.js';
import { createS3SiteBucket } from '../../src/shell/s3/site-bucket.js';
import { freshStores, silentLog } from '../support/stores.js';

let site: LocalSiteBucket;

/** One render-homepage delivery through the runner: what it published, or that the page was up to date. */
async function render(readModels: ReadModelStore, bucket: SiteBucket) {
  const decision = await runHandler(renderHomepage, HOMEPAGE_KEY, {
    readModels,
    site: bucket,
    clock: () => new Date().toISOString(),
    log: silentLog,
  });
  const [write] = decision.writes;
  return write?.kind === 'publish'
    ? { kind: 'published', version: write.object.projectionVersion }
    : { kind: 'up-to-date' };
}

beforeAll(async () => {
  site = await startLocalSiteBucket({ bucket: 'render-int', onObjectCreated: () => undefined });
});
afterAll(async () => {
  await site?.stop();
});

const destination = (n: number): Destination => ({
  id: `d${n}`,
  name: `Place ${n}`,
  latitude: 50,
  longitude: 4,
  status: 'LOCATION_VALIDATED',
  country: 'BE',
  locationRejectionReason: null,
  proposedAt: new Date(Date.UTC(2026, 10, 24, 10, n)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 10, 24, 10, n)).toISOString(),
  version: 2,
});

/** Moves the projection to `version`, one destination per version, newest first. */
async function advance(readModels: ReadModelStore, from: number, to: number): Promise<void> {
  for (let version = from + 1; version <= to; version++) {
    const entries = Array.from({ length: version }, (_, i) => destination(version - i));
    await readModels.putRecent({ version, entries }, version - 1);
  }
}

describe('render-homepage through the runner (DynamoDB Local + s3rver)', () => {
  it('given a page of a newer version is published, when a renderer holding an older projection runs, then it writes nothing', async () => {
    const { readModels } = await freshStores();
    const bucket = createS3SiteBucket({ client: site.createClient(), bucket: site.bucket });
    const key = `stale-${Date.now()}/${HOMEPAGE_KEY}`;
    await bucket.put(
      { key, body: 'v5', contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache', projectionVersion: 5 },
      null,
    );
    await advance(readModels, 0, 3);
    const site5 = { head: () => bucket.head(key), put: bucket.put.bind(bucket) };
    expect(await render(readModels, site5)).toEqual({ kind: 'up-to-date' });
    expect((await bucket.head(key))?.value.projectionVersion).toBe(5);
  });

  it('given a renderer that read an older projection loses the race to write, then its conditional write is refused and it does not overwrite the newer page', async () => {
    const { readModels } = await freshStores();
    const bucket = createS3SiteBucket({ client: site.createClient(), bucket: site.bucket });
    const key = `race-${Date.now()}/${HOMEPAGE_KEY}`;
    await advance(readModels, 0, 1);
    // Renderer A reads the bucket and the projection (v1), then stalls before writing.
    let releaseA = (): void => undefined;
    const stalled = new Promise<void>((resolve) => (releaseA = resolve));
    let aWrites = 0;
    let reachedWrite = (): void => undefined;
    const aAtWrite = new Promise<void>((resolve) => (reachedWrite = resolve));
    const siteA = {
      head: () => bucket.head(key),
      put: async (object: SiteObject, expected: PublishedObject | null) => {
        if (aWrites++ === 0) {
          reachedWrite();
          await stalled;
        }
        return bucket.put({ ...object, key }, expected);
      },
    };
    const siteB = {
      head: () => bucket.head(key),
      put: (object: SiteObject, expected: PublishedObject | null) => bucket.put({ ...object, key }, expected),
    };
    const a = render(readModels, siteA);
    await aAtWrite;
    // Meanwhile the projection moves to v2 and renderer B publishes it.
    await advance(readModels, 1, 2);
    expect(await render(readModels, siteB)).toEqual({
      kind: 'published',
      version: 2,
    });
    releaseA();
    // A's write of v1 is refused (the etag it saw is gone); it looks again and finds v2 already published.
    expect(await a).toEqual({ kind: 'up-to-date' });
    expect(aWrites).toBe(1);
    expect((await bucket.head(key))?.value.projectionVersion).toBe(2);
  });

  it('given renderers racing while the projection moves on, then the published version never goes backwards and ends at the newest', async () => {
    const { readModels } = await freshStores();
    const bucket = createS3SiteBucket({ client: site.createClient(), bucket: site.bucket });
    const newest = 30;
    let projectionDone = false;
    const observed: number[] = [];
    const watch = async () => {
      while (!projectionDone) {
        const head = (await bucket.head(HOMEPAGE_KEY))?.value;
        if (head?.projectionVersion != null) observed.push(head.projectionVersion);
      }
    };
    const renderer = async () => {
      while (!projectionDone) {
        // Losing every attempt to the other renderers ends the invocation with the conflict; the
        // platform would retry it.
        await render(readModels, bucket).catch((error: unknown) => {
          if (!(error instanceof PersistentConflictError)) throw error;
        });
      }
    };
    const moving = advance(readModels, 0, newest).finally(() => (projectionDone = true));
    await Promise.all([moving, watch(), renderer(), renderer(), renderer(), renderer()]);
    await render(readModels, bucket);

    expect(observed.length).toBeGreaterThan(0);
    expect(observed).toEqual([...observed].sort((a, b) => a - b));
    expect((await bucket.head(HOMEPAGE_KEY))?.value.projectionVersion).toBe(newest);
    const page = await (await fetch(new URL(HOMEPAGE_KEY, `${site.websiteUrl}`))).text();
    expect(page).toContain('Place 30');
    // Every page written was recorded (the records never conflict), once each, in version order,
    // the last one as published.
    const { publications } = await readModels.getPublications();
    const versions = publications.map((publication) => publication.projectionVersion);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(publications.at(-1)).toMatchObject({
      etag: bareEtag((await bucket.head(HOMEPAGE_KEY))!.value.etag),
      projectionVersion: newest,
    });
  });
});
