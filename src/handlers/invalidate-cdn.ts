/**
 * invalidate-cdn: objects created in the site bucket → CloudFront invalidations of their
 * paths. Pure: the caller reference is derived from the object change itself (key, etag,
 * S3's sequencer), so a redelivered notification repeats the same request, which
 * CloudFront treats as the same invalidation instead of a new one.
 */
import type { InvalidationRequest } from '../ports/index.js';

export interface ObjectCreated {
  /** The object key, decoded (S3 notifications URL-encode it). */
  readonly key: string;
  readonly eTag: string | null;
  /** S3's per-key ordering token of the change. */
  readonly sequencer: string;
}

const INDEX_DOCUMENT = 'index.html';

/** The viewer paths that serve `key`: the key itself, and its folder when it is the index document. */
export function pathsFor(key: string): string[] {
  const path = `/${key.split('/').map(encodeURIComponent).join('/')}`;
  if (key === INDEX_DOCUMENT || key.endsWith(`/${INDEX_DOCUMENT}`))
    return [path.slice(0, -INDEX_DOCUMENT.length), path];
  return [path];
}

export function invalidationsFor(created: readonly ObjectCreated[], distributionId: string): InvalidationRequest[] {
  const requests = new Map<string, InvalidationRequest>();
  for (const object of created) {
    const callerReference = `${object.key}#${object.eTag ?? 'no-etag'}#${object.sequencer}`;
    const items = pathsFor(object.key);
    requests.set(callerReference, {
      DistributionId: distributionId,
      InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: items.length, Items: items } },
    });
  }
  return [...requests.values()];
}
