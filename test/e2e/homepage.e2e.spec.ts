/**
 * The homepage through the local stack: a proposal via the API ends up in index.html in
 * the site bucket (s3rver, read back with the real S3 client); every write is followed
 * by an invalidation recorded by the CloudFront stand-in; a burst of proposals coalesces
 * into few renders whose versions only go up; the API answers the site's CORS preflight.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOMEPAGE_KEY } from '../../src/handlers/render-homepage.js';
import type { LocalStack } from '../../src/shell/local/stack.js';
import { startTestStack } from '../support/stack.js';
import { gql, PROPOSE } from './client.js';

let stack: LocalStack;
let s3: S3Client;

beforeAll(async () => {
  stack = await startTestStack();
  s3 = stack.site.bucket.createClient();
});
afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
});

async function publishedPage() {
  const object = await s3.send(new GetObjectCommand({ Bucket: stack.site.bucket.bucket, Key: HOMEPAGE_KEY }));
  return { body: (await object.Body?.transformToString()) ?? '', contentType: object.ContentType, cacheControl: object.CacheControl, metadata: object.Metadata };
}

const homepageWrites = () => stack.site.writes.filter((write) => write.key === HOMEPAGE_KEY);

describe('the homepage in the site bucket', () => {
  it('given the stack just started, then the bucket serves the empty state at the homepage URL', async () => {
    const response = await fetch(stack.homepageUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('No destinations yet');
    for (const asset of ['homepage.js', 'homepage.css']) expect((await fetch(new URL(asset, stack.homepageUrl))).status).toBe(200);
  });

  it('given a proposal via the API, then index.html in the bucket lists it, and the CDN stand-in was asked to invalidate / and /index.html', async () => {
    const result = await gql(stack.graphqlUrl, PROPOSE, { input: { name: 'Bruges <Markt>', latitude: 51.2093, longitude: 3.2247 } });
    expect(result.data?.['proposeDestination'].__typename).toBe('DestinationProposed');
    await stack.settled();

    const page = await publishedPage();
    expect(page.body).toContain('<h3 class="destination-name">Bruges &lt;Markt&gt;</h3>');
    expect(page.body).toContain('Belgium (BE)');
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.cacheControl).toMatch(/max-age=\d+/);
    const recent = await gql(stack.graphqlUrl, '{ recentDestinations { id } }');
    expect(recent.data?.['recentDestinations'][0].id).toBe(result.data?.['proposeDestination'].destination.id);
    expect(Number(page.metadata?.['projection-version'])).toBe(homepageWrites().at(-1)?.projectionVersion);

    const invalidations = stack.site.cdn.calls.filter((call) => call.paths.includes('/index.html'));
    expect(invalidations.length).toBe(homepageWrites().length);
    expect(invalidations.at(-1)?.paths).toEqual(['/', '/index.html']);
    expect(new Set(invalidations.map((call) => call.callerReference)).size).toBe(invalidations.length);
  });

  it('given a burst of proposals, then renders coalesce (far fewer renders than proposals), versions only go up, and the last page is the newest projection', async () => {
    const burst = 20;
    const writesBefore = homepageWrites().length;
    const names = Array.from({ length: burst }, (_, i) => `Burst town ${i}`);
    const results = await Promise.all(names.map((name, i) => gql(stack.graphqlUrl, PROPOSE, { input: { name, latitude: 50.5 + i * 0.01, longitude: 4.4 } })));
    expect(results.map((result) => result.data?.['proposeDestination'].__typename)).toEqual(names.map(() => 'DestinationProposed'));
    await stack.settled();

    const versionBefore = homepageWrites()[writesBefore - 1]?.projectionVersion ?? 0;
    const renders = homepageWrites().slice(writesBefore);
    const versions = homepageWrites().map((write) => write.projectionVersion ?? -1);
    const page = await publishedPage();
    const finalVersion = Number(page.metadata?.['projection-version']);
    // Each proposal changes the projection once or twice (proposed, location confirmed; the projector may fold both at once).
    const changes = finalVersion - versionBefore;
    expect(changes).toBeGreaterThanOrEqual(burst);
    expect(renders.length).toBeGreaterThan(0);
    expect(renders.length).toBeLessThan(burst / 4);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    expect(renders.at(-1)?.projectionVersion).toBe(finalVersion);
    for (const name of names) expect(page.body).toContain(name);
  });
});

describe('the API called from the site (CORS)', () => {
  const preflight = (origin: string) =>
    fetch(stack.graphqlUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });

  it("given the site's origin, then the preflight allows a JSON POST and the answer names the origin", async () => {
    const origin = stack.site.bucket.origin;
    const answer = await preflight(origin);
    expect(answer.status).toBe(204);
    expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
    expect(answer.headers.get('access-control-allow-headers')).toContain('content-type');
    const post = await fetch(stack.graphqlUrl, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ recentDestinations(limit: 1) { id } }' }) });
    expect(post.status).toBe(200);
    expect(post.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('given another origin, then the preflight is refused and no CORS header is sent', async () => {
    const answer = await preflight('https://evil.example');
    expect(answer.status).toBe(403);
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it("given a form-encoded or text POST (what a cross-site form could send), then Apollo's CSRF prevention still refuses it", async () => {
    const answer = await fetch(stack.graphqlUrl, { method: 'POST', headers: { origin: stack.site.bucket.origin, 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ recentDestinations { id } }' }) });
    expect(answer.status).toBe(400);
  });
});
