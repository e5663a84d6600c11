/**
 * The site bucket in memory, with the semantics of the S3 adapter (src/shell/s3/site-bucket.ts)
 * on S3 and on the local s3rver, proved by the same contract suite (test/contract): a write
 * holds only over the etag it expects (or where nothing is, for `expected` null), else
 * PublishConflictError; the etag is S3's for a single-part upload, the quoted MD5 of the body.
 *
 * @example
 * const site = createInMemorySiteBucket();
 * await site.put(page, await site.head(page.key));
 */
import { createHash } from 'node:crypto';
import type { TraceCarrier } from '../../domain/trace.js';
import { PublishConflictError } from '../../errors/index.js';
import type { PublishedObject, SiteBucket, SiteObject, Traced } from '../../ports/index.js';
import { asStored, later } from './as-stored.js';

export interface StoredSiteObject extends SiteObject {
  readonly etag: string;
  /** The writer's trace, kept as S3 keeps it in the object's metadata. */
  readonly trace?: TraceCarrier;
}

export interface InMemorySiteBucket extends SiteBucket {
  /** What is stored at `key` (body and headers with its etag), or null. */
  get(key: string): StoredSiteObject | null;
  /** Every stored object, by key. */
  objects(): StoredSiteObject[];
}

export function createInMemorySiteBucket(): InMemorySiteBucket {
  const objects = new Map<string, StoredSiteObject>();
  return {
    head: (key) =>
      later((): Traced<PublishedObject> | null => {
        const stored = objects.get(key);
        if (!stored) return null;
        const value = { etag: stored.etag, projectionVersion: stored.projectionVersion ?? null };
        return asStored({ value, trace: stored.trace });
      }),

    put: (object, expected, trace) =>
      later(() => {
        const current = objects.get(object.key);
        const holds = expected === null ? current === undefined : current?.etag === expected.etag;
        if (!holds) throw new PublishConflictError(object.key);
        const etag = `"${createHash('md5').update(object.body).digest('hex')}"`;
        objects.set(object.key, asStored({ ...object, etag, trace }));
        return etag;
      }),

    get: (key) => asStored(objects.get(key) ?? null),
    objects: () => [...objects.keys()].sort().map((key) => asStored(objects.get(key)!)),
  };
}
