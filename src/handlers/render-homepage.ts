/**
 * render-homepage: the recent-destinations projection → the homepage as a site object.
 * Pure: the shell passes the projection as it is at render time and what the bucket
 * holds now; the answer is the page to write, or "up to date" when the published page
 * already reflects this version or a newer one (a page never goes backwards).
 */
import { Eta } from 'eta/core';
import type { RecentDestinations } from '../domain/recent-destinations.js';
import type { PublishedObject, SiteObject } from '../ports/index.js';
import { API_PATH } from '../site/assets.js';
import { HOMEPAGE_TEMPLATE } from '../site/homepage-template.js';
import { destinationView } from '../site/labels.js';
import { worldMap } from '../site/world-map.js';

export const HOMEPAGE_KEY = 'index.html';
/** Browsers recheck after a minute; the CDN keeps it until the invalidation that follows every write. */
export const HOMEPAGE_CACHE_CONTROL = 'public, max-age=60, s-maxage=31536000';

export interface HomepageSettings {
  /** Site-relative paths of the page's script and styles. */
  readonly assets: { readonly js: string; readonly css: string };
}

export type RenderDecision =
  | { readonly kind: 'publish'; readonly object: SiteObject }
  | { readonly kind: 'up-to-date'; readonly publishedVersion: number };

const eta = new Eta({ autoEscape: true, autoTrim: false });
const template = eta.compile(HOMEPAGE_TEMPLATE);

/** Whether the published page must be replaced by one of `projection`. */
export function isNewer(projection: RecentDestinations, published: PublishedObject | null): boolean {
  return published?.projectionVersion == null || projection.version > published.projectionVersion;
}

export function renderHomepage(
  projection: RecentDestinations,
  published: PublishedObject | null,
  settings: HomepageSettings,
): RenderDecision {
  if (!isNewer(projection, published))
    return { kind: 'up-to-date', publishedVersion: published?.projectionVersion ?? 0 };
  return {
    kind: 'publish',
    object: {
      key: HOMEPAGE_KEY,
      body: homepageHtml(projection, settings),
      contentType: 'text/html; charset=utf-8',
      cacheControl: HOMEPAGE_CACHE_CONTROL,
      projectionVersion: projection.version,
    },
  };
}

export function homepageHtml(projection: RecentDestinations, settings: HomepageSettings): string {
  return template.call(eta, {
    version: projection.version,
    destinations: projection.entries.map(destinationView),
    map: worldMap(projection.entries),
    apiUrl: API_PATH,
    assets: settings.assets,
  });
}
