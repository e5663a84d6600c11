import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { invalidateCdn, pathsFor } from '../../src/handlers/invalidate-cdn.js';
import type { SiteBucket } from '../../src/ports/index.js';
import { createInMemoryReadModelStore } from '../../src/shell/memory/read-model-store.js';
import { createRecordingCdn } from '../../src/shell/memory/recorders.js';
import { createInMemorySiteBucket } from '../../src/shell/memory/site-bucket.js';
import { objectCreatedFunction, objectsCreated } from '../../src/shell/runner/deliveries.js';
import { given } from '../support/given-when-then.js';
import { silentLog } from '../support/stores.js';

/**
 * invalidate-cdn through the real runner: when the site bucket's object-created notification
 * is delivered, then the CDN is asked to invalidate the object's paths, once per change.
 */
describe('invalidate-cdn: objects created in the site bucket', () => {
  it('given index.html was written, then one invalidation covers / and /index.html with a reference derived from the change', async () => {
    await given()
      .when(invalidateCdn, [{ key: 'index.html', eTag: 'abc', sequencer: '0055AED6DCD90281E5' }])
      .then(({ writes, stored }) => {
        const request = { callerReference: 'index.html#abc#0055AED6DCD90281E5', paths: ['/', '/index.html'] };
        expect(writes).toEqual([{ kind: 'invalidate', request }]);
        expect(stored.invalidations).toEqual([request]);
      });
  });

  it('given the same notification delivered twice, then the requests are identical, so the CDN keeps one invalidation', async () => {
    const change = { key: 'index.html', eTag: 'abc', sequencer: '01' };
    await given()
      .when(invalidateCdn, [change], { deliveries: 2 })
      .then(({ deliveries, stored }) => {
        expect(deliveries[1]!.writes).toEqual(deliveries[0]!.writes);
        expect(stored.invalidations).toHaveLength(1);
      });
    await given()
      .when(invalidateCdn, [change, change])
      .then(({ writes }) => expect(writes).toHaveLength(1));
  });

  it('given two writes of the same key, then each gets its own reference', async () => {
    await given()
      .when(invalidateCdn, [
        { key: 'index.html', eTag: 'abc', sequencer: '01' },
        { key: 'index.html', eTag: 'def', sequencer: '02' },
      ])
      .then(({ stored }) => {
        const references = stored.invalidations.map((request) => request.callerReference);
        expect(new Set(references).size).toBe(2);
      });
  });

  it('given an S3 notification without object-created records, then nothing is invalidated', async () => {
    await given()
      .when(invalidateCdn, [])
      .then(({ writes, stored }) => {
        expect(writes).toEqual([]);
        expect(stored.invalidations).toEqual([]);
      });
  });
});

describe('pathsFor and the notification', () => {
  it('given keys with folders and unsafe characters, then the paths are URL-encoded per segment', () => {
    expect(pathsFor('homepage.js')).toEqual(['/homepage.js']);
    expect(pathsFor('guides/index.html')).toEqual(['/guides/', '/guides/index.html']);
    expect(pathsFor('a b/ü.css')).toEqual(['/a%20b/%C3%BC.css']);
  });

  it('given an S3 notification, then only object-created records count and keys are decoded', () => {
    const record = (eventName: string, key: string) => ({
      eventName,
      s3: { object: { key, eTag: 'e', sequencer: 's' } },
    });
    const event = {
      Records: [record('ObjectCreated:Put', 'a+b%C3%BC.html'), record('ObjectRemoved:Delete', 'gone.html')],
    } as unknown as S3Event;
    expect(objectsCreated(event)).toEqual([{ key: 'a bü.html', eTag: 'e', sequencer: 's' }]);
  });
});

describe('invalidate-cdn', () => {
  it('given the homepage and an asset were written, then both are invalidated, and then the page is marked in the publication history', () => {
    const NOW = '2026-11-24T10:00:01.500Z';
    const decision = invalidateCdn.decide(
      [
        { key: 'index.html', eTag: 'abc', sequencer: '01' },
        { key: 'homepage.js', eTag: 'def', sequencer: '02' },
      ],
      {},
      NOW,
    );
    expect(decision.writes.map((write) => write.kind)).toEqual(['invalidate', 'invalidate', 'mark-invalidated']);
    expect(decision.writes.at(-1)).toEqual({ kind: 'mark-invalidated', etag: 'abc', at: NOW });
  });
});

describe('invalidate-cdn with tracing off (no SDK in this file)', () => {
  it("given the homepage was written, then the bucket is not read: the page's trace is looked up only while a span records", async () => {
    const site = createInMemorySiteBucket();
    const page = { key: 'index.html', body: 'page', contentType: 'text/html', cacheControl: 'no-cache' };
    const etag = (await site.put(page, null)).replaceAll('"', '');
    let heads = 0;
    const counting: SiteBucket = { ...site, head: (key) => (heads++, site.head(key)) };
    const cdn = createRecordingCdn();
    const deps = { readModels: createInMemoryReadModelStore(), site: counting, cdn, clock: () => 'T', log: silentLog };
    const event = {
      Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'index.html', eTag: etag, sequencer: '01' } } }],
    } as unknown as S3Event;
    await objectCreatedFunction(invalidateCdn, deps)(event);
    expect(cdn.invalidations()).toHaveLength(1);
    expect(heads).toBe(0);
  });
});
