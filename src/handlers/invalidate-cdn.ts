/**
 * invalidate-cdn: objects created in the site bucket → CDN invalidations of their paths. The
 * caller reference is derived from the object change itself (key, etag, S3's sequencer), so a
 * redelivered notification repeats the same request, which CloudFront treats as the same
 * invalidation instead of a new one. Which distribution is the CDN adapter's configuration.
 */
import type { InvalidationRequest } from '../ports/index.js';
import { HOMEPAGE_KEY } from '../site/assets.js';
import type { Handler } from './handler.js';

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
  if (key === INDEX_DOCUMENT || key.endsWith(`/${INDEX_DOCUMENT}`)) {
    return [path.slice(0, -INDEX_DOCUMENT.length), path];
  }
  return [path];
}

export function invalidationsFor(created: readonly ObjectCreated[]): InvalidationRequest[] {
  const requests = new Map<string, InvalidationRequest>();
  for (const object of created) {
    const callerReference = `${object.key}#${object.eTag ?? 'no-etag'}#${object.sequencer}`;
    requests.set(callerReference, { callerReference, paths: pathsFor(object.key) });
  }
  return [...requests.values()];
}

/** The etags of the homepages among the created objects (the publication history knows pages only). */
const homepageEtags = (created: readonly ObjectCreated[]): string[] => [
  ...new Set(created.flatMap((object) => (object.key === HOMEPAGE_KEY && object.eTag ? [object.eTag] : []))),
];

/**
 * Invalidates first, then marks each homepage invalidated in the publication history (when it was
 * asked for): a mark is made only for an invalidation CloudFront accepted. The mark never
 * conflicts, so nothing here is ever decided twice and no invalidation is repeated for it.
 */
export const invalidateCdn: Handler<ObjectCreated, readonly ObjectCreated[], never> = {
  name: 'invalidate-cdn',
  inputs: (created) => (created.length > 0 ? [created] : []),
  lookUp: () => ({}),
  decide: (created, _state, now) => ({
    writes: [
      ...invalidationsFor(created).map((request) => ({ kind: 'invalidate' as const, request })),
      ...homepageEtags(created).map((etag) => ({ kind: 'mark-invalidated' as const, etag, at: now })),
    ],
    answers: [],
  }),
};
