/**
 * The homepage through the local stack: a proposal via the API ends up in index.html in
 * the site bucket (s3rver, read back with the real S3 client); every write is followed
 * by an invalidation recorded by the CloudFront stand-in; a burst of proposals coalesces
 * into few renders whose versions only go up; the API answers the site's CORS preflight.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOMEPAGE_KEY } from '../../src/site/assets.js';
import { documentedHomepageCacheControl } from '../support/readme.js';
import { useTestStack } from '../support/stack.js';
import { gql, PROPOSE } from './client.js';

const stack = useTestStack();
let s3: S3Client;
beforeAll(() => {
  s3 = stack.site.bucket.createClient();
});
afterAll(() => s3?.destroy());

async function publishedPage() {
  const object = await s3.send(new GetObjectCommand({ Bucket: stack.site.bucket.bucket, Key: HOMEPAGE_KEY }));
  return {
    body: (await object.Body?.transformToString()) ?? '',
    contentType: object.ContentType,
    cacheControl: object.CacheControl,
    metadata: object.Metadata,
  };
}

const homepageWrites = () => stack.site.writes.filter((write) => write.key === HOMEPAGE_KEY);

describe('the homepage in the site bucket', () => {
  it('given the stack just started, then the bucket serves the empty state at the homepage URL', async () => {
    const response = await fetch(stack.homepageUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('No destinations yet');
    for (const asset of ['homepage.js', 'homepage.css'])
      expect((await fetch(new URL(asset, stack.homepageUrl))).status).toBe(200);
  });

  it('given a proposal via the API, then index.html in the bucket lists it, and the CDN stand-in was asked to invalidate / and /index.html', async () => {
    const result = await gql(stack.graphqlUrl, PROPOSE, {
      input: { name: 'Bruges <Markt>', latitude: 51.2093, longitude: 3.2247 },
    });
    expect(result.data?.['proposeDestination'].__typename).toBe('DestinationProposed');
    // The render follows the projection asynchronously (a batching window later).
    await expect
      .poll(async () => (await publishedPage()).body, { timeout: 20_000 })
      .toContain('<h3 class="destination-name">Bruges &lt;Markt&gt;</h3>');
    await stack.settled();

    const page = await publishedPage();
    expect(page.body).toContain('Belgium (BE)');
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.cacheControl).toBe(documentedHomepageCacheControl());
    const recent = await gql(stack.graphqlUrl, '{ recentDestinations { id } }');
    expect(recent.data?.['recentDestinations'][0]!.id).toBe(result.data?.['proposeDestination'].destination.id);
    expect(Number(page.metadata?.['projection-version'])).toBe(homepageWrites().at(-1)?.projectionVersion);

    const invalidations = () => stack.site.cdn.calls.filter((call) => call.paths.includes('/index.html'));
    await expect.poll(() => invalidations().length, { timeout: 20_000 }).toBe(homepageWrites().length);
    expect(invalidations().at(-1)?.paths).toEqual(['/', '/index.html']);
    expect(new Set(invalidations().map((call) => call.callerReference)).size).toBe(invalidations().length);
  });

  it('given a burst of proposals while a render is slow, then the changes coalesce into a few renders of the newest projection, and versions only go up', async () => {
    const burst = 20;
    const writesBefore = homepageWrites().length;
    const versionBefore = homepageWrites().at(-1)?.projectionVersion ?? 0;
    const invocationsBefore = stack.renderer.invocations;
    const names = Array.from({ length: burst }, (_, i) => `Burst town ${i}`);
    // A slow (here: paused) render lets changes gather, as Lambda's batching window and ParallelizationFactor 1 do.
    stack.renderer.pause();
    try {
      const results = await Promise.all(
        names.map((name, i) =>
          gql(stack.graphqlUrl, PROPOSE, { input: { name, latitude: 50.5 + i * 0.01, longitude: 4.4 } }),
        ),
      );
      // On a busy machine some answers may come back pending at the deadline; all are accepted in the end.
      for (const result of results)
        expect(['DestinationProposed', 'CommandPending']).toContain(result.data?.['proposeDestination'].__typename);
      const confirmed = async () =>
        (
          (await gql(stack.graphqlUrl, '{ recentDestinations(limit: 50) { name status } }')).data?.[
            'recentDestinations'
          ] as { name: string; status: string }[]
        ).filter((destination) => names.includes(destination.name) && destination.status === 'LOCATION_VALIDATED')
          .length;
      await expect.poll(confirmed, { timeout: 30_000 }).toBe(burst);
    } finally {
      stack.renderer.resume();
    }
    await stack.settled();

    const renders = stack.renderer.invocations - invocationsBefore;
    const writes = homepageWrites().slice(writesBefore);
    const versions = homepageWrites().map((write) => write.projectionVersion ?? -1);
    const page = await publishedPage();
    const finalVersion = Number(page.metadata?.['projection-version']);
    // Each proposal changed its destination's view twice (proposed, location confirmed): 2 × burst changes, folded a
    // batch at a time, so the list (and its version) changed far fewer times than that.
    expect(finalVersion).toBeGreaterThan(versionBefore);
    expect(finalVersion - versionBefore).toBeLessThan(2 * burst);
    // The render held back reads the projection when it runs, so it already shows the newest; later
    // batches find it up to date.
    expect(renders).toBeGreaterThan(0);
    expect(renders).toBeLessThanOrEqual(3);
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.length).toBeLessThanOrEqual(renders);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(writes.at(-1)?.projectionVersion).toBe(finalVersion);
    for (const name of names) expect(page.body).toContain(name);
  });
});

describe('invalidate-cdn when CloudFront refuses', () => {
  it('given the CloudFront stand-in refuses through every retry, then the notifications are dead-lettered, and a redrive invalidates the page', async () => {
    const writesBefore = homepageWrites().length;
    const refusedWrites = () => homepageWrites().length - writesBefore;
    const letters = () => stack.deadLetters.list().filter((letter) => letter.handler === 'invalidate-cdn');
    stack.site.cdn.refuse(true);
    try {
      await gql(stack.graphqlUrl, PROPOSE, {
        input: { name: 'Leuven', latitude: 50.8798, longitude: 4.7005, waitFor: 'LOCATION_CHECKED' },
      });
      // One dead letter per page written while CloudFront refused, once its retries are spent.
      await expect
        .poll(() => refusedWrites() > 0 && letters().length === refusedWrites(), { timeout: 20_000 })
        .toBe(true);
      await stack.settled();
    } finally {
      stack.site.cdn.refuse(false);
    }
    expect(letters()).toHaveLength(refusedWrites());
    for (const letter of letters())
      expect(letter).toMatchObject({ attempts: 3, error: expect.stringContaining('TooManyInvalidationsInProgress') });
    const callsBefore = stack.site.cdn.calls.length;
    const written = refusedWrites();

    const redrive = await fetch(stack.deadLettersUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ids: letters().map((letter) => letter.id) }),
    });
    expect(redrive.status).toBe(200);
    expect(letters()).toEqual([]);
    const redriven = stack.site.cdn.calls.slice(callsBefore);
    expect(redriven).toHaveLength(written);
    for (const call of redriven) expect(call.paths).toEqual(['/', '/index.html']);
    expect(homepageWrites().length).toBe(writesBefore + written); // redriving invalidates; it does not render again
  });
});

describe('the API called from the site (CORS)', () => {
  const preflight = (origin: string) =>
    fetch(stack.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it("given the site's origin, then the preflight allows a JSON POST and the answer names the origin", async () => {
    const origin = stack.site.bucket.origin;
    const answer = await preflight(origin);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
    expect(answer.headers.get('access-control-allow-headers')).toContain('content-type');
    const post = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ recentDestinations(limit: 1) { id } }' }),
    });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('given another origin, then the preflight is refused and no CORS header is sent', async () => {
    const answer = await preflight('https://evil.example');
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("given a form-encoded or text POST (what a cross-site form could send), then Apollo's CSRF prevention still refuses it", async () => {
    const answer = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { origin: stack.site.bucket.origin, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ recentDestinations { id } }' }),
    });
    expect(answer.status).toBe(400);
  });
});
