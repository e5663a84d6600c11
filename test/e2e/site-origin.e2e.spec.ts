/**
 * The site's origin (the local edge, as CloudFront on AWS): the homepage and /graphql on one
 * origin; anonymous proposals through it spend a per-visitor and a global budget kept in
 * Redis; a refused proposal writes nothing; a forwarded address or secret a caller invents
 * gains nothing; callers of the API itself are not limited.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/shell/auth/api-key.js';
import { ORIGIN_SECRET_HEADER, VIEWER_ADDRESS_HEADER } from '../../src/shell/edge/site-origin.js';
import type { LocalStack } from '../../local/stack.js';
import { useTestStacks } from '../support/stack.js';
import { snapshotTables } from '../support/tables.js';
import { type GraphQLResponse, PROPOSE } from './client.js';

const LIMITS = { perVisitor: 2, global: 3, windowSeconds: 60 };
const KEY = 'site-origin-key-51c0';

const [open, keyed] = useTestStacks(
  { proposalLimits: LIMITS },
  {
    proposalLimits: { ...LIMITS, perVisitor: 1 },
    auth: { mode: 'api-key', apiKeyDigests: [sha256(KEY).toString('hex')] },
  },
);

interface Answer {
  readonly status: number;
  readonly retryAfter: string | undefined;
  readonly body: GraphQLResponse;
}

/** A POST from a chosen loopback address (each 127.x.y.z is another visitor to the edge). */
function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  localAddress = '127.0.0.1',
): Promise<Answer> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      {
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(payload)),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const retryAfter = response.headers['retry-after'];
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as GraphQLResponse,
          });
        });
      },
    );
    call.on('error', reject);
    call.end(payload);
  });
}

const siteGraphql = (stack: LocalStack) => new URL('/graphql', stack.homepageUrl).href;
const proposal = (name: string) => ({
  query: PROPOSE,
  variables: { input: { name, latitude: 50.85, longitude: 4.35 } },
});

function expectRateLimited(answer: Answer): void {
  expect(answer.status).toBe(429);
  const error = answer.body.errors?.[0];
  expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
  const seconds = error?.extensions?.['retryAfterSeconds'] as number;
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(LIMITS.windowSeconds);
  expect(answer.retryAfter).toBe(String(seconds));
  expect(answer.body.data ?? null).toBeNull();
}

describe('the site origin', () => {
  it('serves the homepage and /graphql on one origin: the page calls its own origin, whose CSP allows no other', async () => {
    const page = await fetch(open.homepageUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-api-url="/graphql"');
    expect(html).toContain("connect-src 'self'");
    const query = await post(siteGraphql(open), { query: '{ recentDestinations { id } }' });
    expect(query.status).toBe(200);
    expect(query.body.data).toEqual({ recentDestinations: expect.any(Array) });
    expect(new URL(siteGraphql(open)).origin).toBe(new URL(open.homepageUrl).origin);
  });

  it('given a visitor over its budget, then the proposal is refused RATE_LIMITED with when to retry, and leaves no trace; invented secrets and addresses change nothing', async () => {
    for (const name of ['Leuven', 'Namur'])
      expect((await post(siteGraphql(open), proposal(name))).body.data?.proposeDestination.__typename).toBe(
        'DestinationProposed',
      );
    await open.settled();
    const before = await snapshotTables(open.dynamodbEndpoint, open.tables);

    expectRateLimited(await post(siteGraphql(open), proposal('Over budget')));
    // The edge replaces what a viewer claims: another address and a guessed secret are still this visitor.
    const forged = { [VIEWER_ADDRESS_HEADER]: '198.51.100.7:4242', [ORIGIN_SECRET_HEADER]: 'a'.repeat(64) };
    expectRateLimited(await post(siteGraphql(open), proposal('Forged address'), forged));

    await open.settled();
    expect(await snapshotTables(open.dynamodbEndpoint, open.tables)).toEqual(before);
  });

  it('given the global budget spent by others, then a new visitor is refused too; the API port itself (AUTH_MODE=none) is not limited', async () => {
    // Visitor 127.0.0.1 spent 2 of the global 3 in the test above; 127.0.0.2 takes the last one.
    expect(
      (await post(siteGraphql(open), proposal('Dinant'), {}, '127.0.0.2')).body.data?.proposeDestination.__typename,
    ).toBe('DestinationProposed');
    expectRateLimited(await post(siteGraphql(open), proposal('Spa'), {}, '127.0.0.3'));
    // Direct callers of the API never carry the edge's secret: a forged address there is not a
    // visitor, and not limited.
    const direct = await post(open.graphqlUrl, proposal('Direct'), { [VIEWER_ADDRESS_HEADER]: '127.0.0.3:1' });
    expect(direct.body.data?.proposeDestination.__typename).toBe('DestinationProposed');
  });
});

describe('the site origin with AUTH_MODE=api-key (the AWS default)', () => {
  it("lets the site's visitors propose without a key (within their budget), while direct callers still need one", async () => {
    expect((await post(siteGraphql(keyed), proposal('Ypres'))).body.data?.proposeDestination.__typename).toBe(
      'DestinationProposed',
    );
    expectRateLimited(await post(siteGraphql(keyed), proposal('Ypres again')));
    await keyed.settled();
    const before = await snapshotTables(keyed.dynamodbEndpoint, keyed.tables);

    // A forged address and a guessed secret, straight to the API: not a visitor, so a key is needed.
    const forged = await post(keyed.graphqlUrl, proposal('Forged'), {
      [VIEWER_ADDRESS_HEADER]: '203.0.113.9:1',
      [ORIGIN_SECRET_HEADER]: 'b'.repeat(64),
    });
    expect(forged.status).toBe(401);
    expect(forged.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    await keyed.settled();
    expect(await snapshotTables(keyed.dynamodbEndpoint, keyed.tables)).toEqual(before);

    // With the key, not limited: more than the visitor budget, from the same address.
    for (const name of ['Keyed one', 'Keyed two']) {
      expect(
        (await post(keyed.graphqlUrl, proposal(name), { 'x-api-key': KEY })).body.data?.proposeDestination.__typename,
      ).toBe('DestinationProposed');
    }
  });
});
