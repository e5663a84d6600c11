/**
 * What every SiteBucket does: run against the S3 adapter on s3rver with the local stack's
 * conditional writes (test/int) and the in-memory bucket (test/unit) with the same assertions.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { PublishConflictError } from '../../src/errors/index.js';
import type { SiteBucket, SiteObject } from '../../src/ports/index.js';

const page = (key: string, body: string, projectionVersion?: number): SiteObject => ({
  key,
  body,
  contentType: 'text/html; charset=utf-8',
  cacheControl: 'no-cache',
  ...(projectionVersion === undefined ? {} : { projectionVersion }),
});

export function describeSiteBucketContract(name: string, makeBucket: () => Promise<SiteBucket>): void {
  describe(`SiteBucket contract: ${name}`, () => {
    let bucket: SiteBucket;
    beforeAll(async () => {
      bucket = await makeBucket();
    });
    /** A key of its own for each test, so tests may share one bucket. */
    const freshKey = (): string => `${randomUUID()}/index.html`;

    it('heads nothing where nothing was written', async () => {
      expect(await bucket.head(freshKey())).toBeNull();
    });

    it('writes where nothing is when it expects nothing, and refuses a second such write', async () => {
      const key = freshKey();
      await bucket.put(page(key, 'first', 1), null);
      const head = await bucket.head(key);
      expect(head).toStrictEqual({ value: { etag: expect.any(String), projectionVersion: 1 } });
      await expect(bucket.put(page(key, 'second', 2), null)).rejects.toBeInstanceOf(PublishConflictError);
      expect(await bucket.head(key)).toEqual(head);
    });

    it('replaces an object only over the etag it saw; a writer holding an older etag conflicts and changes nothing', async () => {
      const key = freshKey();
      await bucket.put(page(key, 'v1', 1), null);
      const seen = (await bucket.head(key))!.value;
      await bucket.put(page(key, 'v2', 2), seen);
      const replaced = (await bucket.head(key))!.value;
      expect(replaced.projectionVersion).toBe(2);
      expect(replaced.etag).not.toBe(seen.etag);
      const stale = bucket.put(page(key, 'v1 again', 1), seen);
      await expect(stale).rejects.toBeInstanceOf(PublishConflictError);
      await expect(stale).rejects.toMatchObject({ key });
      expect((await bucket.head(key))?.value).toEqual(replaced);
    });

    it('refuses a write that expects an object where there is none', async () => {
      const key = freshKey();
      await expect(bucket.put(page(key, 'v1', 1), { etag: '"0123"', projectionVersion: 0 })).rejects.toBeInstanceOf(
        PublishConflictError,
      );
      expect(await bucket.head(key)).toBeNull();
    });

    it('heads an object written without a projection version (e.g. uploaded by hand) with a null version', async () => {
      const key = freshKey();
      await bucket.put(page(key, 'by hand'), null);
      expect(await bucket.head(key)).toStrictEqual({ value: { etag: expect.any(String), projectionVersion: null } });
    });

    it("heads an object with its writer's trace, kept with that object only: a write over it without one leaves none", async () => {
      const key = freshKey();
      const trace = { traceparent: `00-${'e5'.repeat(16)}-${'f6'.repeat(8)}-01`, tracestate: 'vendor=a,other=b' };
      const etag = await bucket.put(page(key, 'traced', 1), null, trace);
      expect(await bucket.head(key)).toStrictEqual({ value: { etag, projectionVersion: 1 }, trace });
      const traceOnly = { traceparent: trace.traceparent };
      await bucket.put(page(key, 'traced again', 2), { etag, projectionVersion: 1 }, traceOnly);
      const again = (await bucket.head(key))!;
      expect(again.trace).toStrictEqual(traceOnly);
      await bucket.put(page(key, 'untraced', 3), again.value);
      expect(await bucket.head(key)).toStrictEqual({ value: { etag: expect.any(String), projectionVersion: 3 } });
    });
  });
}
