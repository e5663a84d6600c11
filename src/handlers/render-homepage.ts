/**
 * render-homepage: the recent-destinations projection → the homepage as a site object. One
 * delivery renders once, from the projection as it is when it runs (not from the records),
 * and only over what it saw published: the page never goes backwards, and a concurrent
 * writer makes it look again.
 */
import { Eta } from 'eta/core';
import { bareEtag, forgettingFor, isRecorded } from '../domain/publications.js';
import type { RecentDestinations } from '../domain/recent-destinations.js';
import type { PublishedObject, SiteObject } from '../ports/index.js';
import { API_PATH, HOMEPAGE_ASSETS, HOMEPAGE_KEY } from '../site/assets.js';
import { HOMEPAGE_TEMPLATE } from '../site/homepage-template.js';
import { destinationView } from '../site/labels.js';
import { worldMap } from '../site/world-map.js';
import { type Handler, nothingToDo } from './handler.js';

/** Browsers recheck after a minute; the CDN keeps it until the invalidation that follows every write. */
export const HOMEPAGE_CACHE_CONTROL = 'public, max-age=60, s-maxage=31536000';

export type RenderDecision =
  | { readonly kind: 'publish'; readonly object: SiteObject }
  | { readonly kind: 'up-to-date'; readonly publishedVersion: number };

const eta = new Eta({ autoEscape: true, autoTrim: false });
const template = eta.compile(HOMEPAGE_TEMPLATE);

/** Whether the published page must be replaced by one of `projection`. */
export function isNewer(projection: RecentDestinations, published: PublishedObject | null): boolean {
  return published?.projectionVersion == null || projection.version > published.projectionVersion;
}

export function renderPage(projection: RecentDestinations, published: PublishedObject | null): RenderDecision {
  if (!isNewer(projection, published)) {
    return { kind: 'up-to-date', publishedVersion: published?.projectionVersion ?? 0 };
  }
  return {
    kind: 'publish',
    object: {
      key: HOMEPAGE_KEY,
      body: homepageHtml(projection),
      contentType: 'text/html; charset=utf-8',
      cacheControl: HOMEPAGE_CACHE_CONTROL,
      projectionVersion: projection.version,
    },
  };
}

export function homepageHtml(projection: RecentDestinations): string {
  return template.call(eta, {
    version: projection.version,
    destinations: projection.entries.map(destinationView),
    map: worldMap(projection.entries),
    apiUrl: API_PATH,
    assets: HOMEPAGE_ASSETS,
  });
}

/**
 * One render per delivery, records or none (the deployment's first render has none). Each page
 * written is recorded in the publication history (when, and from which list version), which a
 * command's journey reads; a page found published but not recorded (its record failed after the
 * write) is recorded when next seen.
 */
export const renderHomepage: Handler<unknown, typeof HOMEPAGE_KEY, 'published' | 'recent' | 'publications'> = {
  name: 'render-homepage',
  inputs: () => [HOMEPAGE_KEY],
  lookUp: (key) => ({ published: key, recent: true, publications: true }),
  decide(_key, { published, recent, publications }, now) {
    const page = renderPage(recent, published);
    if (page.kind === 'publish') {
      const record = { publishedAt: now, forgetting: forgettingFor(publications) };
      return { writes: [{ kind: 'publish', object: page.object, expected: published, record }], answers: [] };
    }
    if (!published || published.projectionVersion === null || isRecorded(publications, published.etag))
      return nothingToDo;
    const etag = bareEtag(published.etag);
    const publication = { etag, projectionVersion: published.projectionVersion, publishedAt: now };
    return {
      writes: [{ kind: 'record-publication', publication, forgetting: forgettingFor(publications, etag) }],
      answers: [],
    };
  },
};
