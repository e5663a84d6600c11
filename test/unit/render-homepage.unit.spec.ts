import { describe, expect, it } from 'vitest';
import type { Destination } from '../../src/domain/destination.js';
import { emptyRecent, type RecentDestinations } from '../../src/domain/recent-destinations.js';
import { documentedHomepageCacheControl } from '../support/readme.js';
import type { PublicationHistory } from '../../src/domain/publications.js';
import { nothingToDo } from '../../src/handlers/handler.js';
import { homepageHtml, renderHomepage } from '../../src/handlers/render-homepage.js';
import { given } from '../support/given-when-then.js';
import { HOMEPAGE_KEY } from '../../src/site/assets.js';
import type { SiteObject } from '../../src/ports/index.js';

const destination = (
  id: string,
  name: string,
  proposedAt: string,
  overrides: Partial<Destination> = {},
): Destination => ({
  id,
  name,
  latitude: 51.05,
  longitude: 3.72,
  status: 'LOCATION_VALIDATED',
  country: 'BE',
  locationRejectionReason: null,
  proposedAt,
  updatedAt: proposedAt,
  version: 2,
  ...overrides,
});

const projection = (version: number, entries: Destination[]): RecentDestinations => ({ version, entries });

/** The page's destination names, in document order, as a browser would read them. */
const names = (html: string): string[] =>
  [...html.matchAll(/<h3 class="destination-name">(.*?)<\/h3>/g)].map((match) => match[1] ?? '');

describe('the homepage as rendered', () => {
  it('given destinations, then the page lists each with name, country, status and when proposed, in the projection order (newest first)', () => {
    const recent = projection(7, [
      destination('d2', 'Ghent', '2026-11-24T10:30:00.000Z'),
      destination('d1', 'Lille', '2026-11-24T09:00:00.000Z', { status: 'PROPOSED', country: null }),
    ]);
    const html = homepageHtml(recent);
    expect(names(html)).toEqual(['Ghent', 'Lille']);
    expect(html).toContain('Belgium (BE)');
    expect(html).toContain('location confirmed');
    expect(html).toContain('country not known yet');
    expect(html).toContain('location being checked');
    expect(html).toContain('<time datetime="2026-11-24T10:30:00.000Z">24 Nov 2026, 10:30 UTC</time>');
    expect(html).toMatch(/<p id="empty-state"[^>]* hidden>/);
  });

  it('given no destinations, then the page shows the friendly empty state and the form', () => {
    const html = homepageHtml(emptyRecent);
    expect(names(html)).toEqual([]);
    expect(html).toMatch(/<p id="empty-state" class="empty-state">No destinations yet/);
    expect(html).toContain('<form id="propose-form"');
    expect(html).toContain('<label for="name">Name</label>');
    expect(html).toContain('<label for="latitude">');
    expect(html).toContain('<label for="longitude">');
  });

  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ["' onmouseover='alert(1)", '&#39; onmouseover=&#39;alert(1)'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
  ])('given a destination named %s, then it is rendered as text', (name, escaped) => {
    const html = homepageHtml(projection(1, [destination('d1', name, '2026-11-24T10:00:00.000Z')]));
    expect(names(html)).toEqual([escaped]);
    expect(html).not.toContain(name);
    expect(html.match(/<script/g)).toHaveLength(1); // only the page's own script element
  });

  it('given any projection, then the page loads its script and styles from the site, allows no inline code and may call only its own origin (the API is /graphql there)', () => {
    const html = homepageHtml(emptyRecent);
    expect(html).toContain('<script type="module" src="homepage.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="homepage.css">');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("connect-src 'self';");
    expect(html).toContain('data-api-url="/graphql"');
    expect(html).not.toMatch(/https?:\/\//); // no external CDN, font or map tile
  });
});

/**
 * The render decisions, through the real runner over the in-memory stores: given the recent
 * list and what the site bucket holds, when the read-model stream delivers a change of the
 * list (or the deployment's first invocation delivers none), then what is published.
 */
describe('render-homepage: a change of the recent list delivered by the read-model stream', () => {
  const page = (projectionVersion: number | undefined): SiteObject => ({
    key: HOMEPAGE_KEY,
    body: `<p>page ${projectionVersion}</p>`,
    contentType: 'text/html; charset=utf-8',
    cacheControl: 'no-cache',
    ...(projectionVersion === undefined ? {} : { projectionVersion }),
  });

  it('given nothing published yet, then it publishes index.html as UTF-8 HTML with the projection version', async () => {
    await given({ recent: projection(3, []) })
      .when(renderHomepage, ['recent-destinations'])
      .then(({ writes, stored }) => {
        expect(writes).toEqual([{ kind: 'publish', object: expect.anything(), expected: null }]);
        expect(stored.site).toHaveLength(1);
        expect(stored.site[0]).toMatchObject({
          key: HOMEPAGE_KEY,
          contentType: 'text/html; charset=utf-8',
          cacheControl: documentedHomepageCacheControl(),
          projectionVersion: 3,
        });
        expect(stored.site[0]!.body).toContain('<meta name="projection-version" content="3">');
      });
  });

  it("given no change records (the deployment's first invocation) and no list yet, then it publishes the empty page at version 0", async () => {
    await given()
      .when(renderHomepage, [])
      .then(({ stored }) => {
        expect(stored.site.map((object) => [object.key, object.projectionVersion])).toEqual([[HOMEPAGE_KEY, 0]]);
        expect(stored.site[0]!.body).toMatch(/<p id="empty-state" class="empty-state">No destinations yet/);
      });
  });

  it('given a published page of an older version, then it publishes the newer one over exactly that page', async () => {
    await given({ recent: projection(5, []), published: [page(4)] })
      .when(renderHomepage, ['recent-destinations'])
      .then(({ writes, stored }) => {
        const [write] = writes;
        expect(write?.kind === 'publish' && write.expected?.projectionVersion).toBe(4);
        expect(stored.site.map((object) => object.projectionVersion)).toEqual([5]);
      });
  });

  it.each([5, 6])(
    'given a published page of version %i, when the projection is at 5, then it writes nothing (never backwards, never twice)',
    async (published) => {
      const scenario = given({ recent: projection(5, []), published: [page(published)] });
      const before = await scenario.stored();
      await scenario.when(renderHomepage, ['recent-destinations']).then(({ writes, stored }) => {
        expect(writes).toEqual([]);
        expect(stored.site).toEqual(before.site);
        expect(stored.site[0]!.projectionVersion).toBe(published);
      });
    },
  );

  it('given a published object without a version (e.g. uploaded by hand), then it is replaced', async () => {
    await given({ published: [page(undefined)] })
      .when(renderHomepage, [])
      .then(({ writes, stored }) => {
        expect(writes.map((write) => write.kind)).toEqual(['publish']);
        expect(stored.site[0]!.projectionVersion).toBe(0);
      });
  });

  it('given the same change delivered three times, then the page is published once', async () => {
    await given({ recent: projection(2, []) })
      .when(renderHomepage, ['recent-destinations'], { deliveries: 3 })
      .then(({ deliveries, stored }) => {
        expect(deliveries.map((delivery) => delivery.writes.length)).toEqual([1, 0, 0]);
        expect(stored.site.map((object) => object.projectionVersion)).toEqual([2]);
      });
  });

  it('given a batch of several changes of the list, then it renders once, from the list as it is now', async () => {
    await given({ recent: projection(9, []) })
      .when(renderHomepage, ['recent-destinations', 'recent-destinations', 'recent-destinations'])
      .then(({ writes, stored }) => {
        expect(writes).toHaveLength(1);
        expect(stored.site[0]!.projectionVersion).toBe(9);
      });
  });
});

describe('render-homepage records what it publishes', () => {
  const NOW = '2026-11-24T10:00:01.234Z';
  const recordedV4: PublicationHistory = {
    publications: [{ etag: 'a', projectionVersion: 4, publishedAt: '2026-11-24T09:59:00.000Z' }],
    invalidations: {},
    forgottenThrough: 0,
  };

  it('given a newer projection, then the page is written and recorded with when and from which version (the etag comes with the write)', () => {
    const decision = renderHomepage.decide(
      HOMEPAGE_KEY,
      { published: { etag: '"a"', projectionVersion: 4 }, recent: projection(5, []), publications: recordedV4 },
      NOW,
    );
    expect(decision.writes).toEqual([
      expect.objectContaining({
        kind: 'publish',
        object: expect.objectContaining({ projectionVersion: 5 }),
        expected: { etag: '"a"', projectionVersion: 4 },
        record: { publishedAt: NOW, forgetting: { etags: [], forgottenThrough: 0 } },
      }),
    ]);
  });

  it('given the page is up to date and recorded, then nothing is written', () => {
    const state = {
      published: { etag: '"a"', projectionVersion: 4 },
      recent: projection(4, []),
      publications: recordedV4,
    };
    expect(renderHomepage.decide(HOMEPAGE_KEY, state, NOW)).toEqual(nothingToDo);
  });

  it('given the page is up to date but its record was lost (a failure after the write), then it is recorded now', () => {
    const state = {
      published: { etag: '"b"', projectionVersion: 5 },
      recent: projection(5, []),
      publications: recordedV4,
    };
    expect(renderHomepage.decide(HOMEPAGE_KEY, state, NOW).writes).toEqual([
      {
        kind: 'record-publication',
        publication: { etag: 'b', projectionVersion: 5, publishedAt: NOW },
        forgetting: { etags: [], forgottenThrough: 0 },
      },
    ]);
  });
});
