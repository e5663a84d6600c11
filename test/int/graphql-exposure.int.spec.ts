/**
 * What the GraphQL function reveals when configured as on AWS (developer tools off):
 * no introspection, no schema suggestions, and internal failures without internals.
 * The real Lambda handler, called over HTTP through the local API Gateway and Lambda twins;
 * real DynamoDB Local stores.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBReadModelStore } from '../../src/shell/dynamodb/read-model-store.js';
import { createAuthenticator } from '../../src/shell/auth/authenticator.js';
import { createGraphQLFunction } from '../../src/shell/graphql/server.js';
import { writePathTracing } from '../../src/shell/telemetry/index.js';
import { postToFunction } from '../support/lambda-http.js';
import { type RealNotifier, realNotifier } from '../support/notifications.js';
import { freshStores } from '../support/stores.js';

let redis: RealNotifier;
beforeAll(async () => {
  redis = await realNotifier();
});
afterAll(() => redis?.close());
import { scanAll } from '../support/tables.js';

async function awsLikeFunction({
  brokenReadModels = false,
  authenticate = createAuthenticator({ mode: 'none' }),
} = {}) {
  const stores = await freshStores();
  const fn = createGraphQLFunction(
    {
      eventStore: stores.eventStore,
      // A table that does not exist: every read fails inside the AWS SDK.
      readModels: brokenReadModels
        ? createDynamoDBReadModelStore({ client: stores.documents, tableName: 'internal-secret-table' })
        : stores.readModels,
      notifications: redis.subscriber,
      answers: redis.answers,
      clock: () => new Date().toISOString(),
      newId: randomUUID,
      mutationDeadlineMs: 1000,
      outcomePollIntervalMs: 100,
      log: { info: () => undefined, warn: () => undefined },
      tracing: writePathTracing,
    },
    { developerTools: false, authenticate },
  );
  return Object.assign(fn, { stores });
}

/** A GraphQL answer, as far as these tests read it. */
interface GraphQLAnswer {
  readonly data?: unknown;
  readonly errors?: readonly { readonly message: string; readonly extensions?: Record<string, unknown> }[];
}

async function call(fn: Awaited<ReturnType<typeof awsLikeFunction>>, query: string, headers?: Record<string, string>) {
  const { status, text } = await postToFunction(fn, { query }, headers ? { headers } : {});
  return { status, text, body: JSON.parse(text || '{}') as GraphQLAnswer };
}

describe('the GraphQL function with developer tools off (the AWS default)', () => {
  it('refuses introspection', async () => {
    const fn = await awsLikeFunction();
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Destination") { fields { name } } }']) {
      const answer = await call(fn, query);
      expect(answer.status).toBe(400);
      expect(answer.body.errors![0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      expect(answer.body.errors![0]!.message).toMatch(/introspection is not allowed/);
    }
  });

  it('does not suggest field names from the schema', async () => {
    const answer = await call(await awsLikeFunction(), '{ recentDestination { id } }');
    expect(answer.body.errors![0]!.message).toMatch(/Cannot query field "recentDestination"/);
    expect(answer.text).not.toMatch(/Did you mean|recentDestinations/);
  });

  it('answers an internal failure with a generic error: no stack trace, no table or exception name', async () => {
    const answer = await call(await awsLikeFunction({ brokenReadModels: true }), '{ destination(id: "d-1") { id } }');
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toEqual([
      {
        message: 'Internal server error',
        locations: [{ line: 1, column: 3 }],
        path: ['destination'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(answer.text).not.toMatch(
      /internal-secret-table|ResourceNotFound|Exception|stacktrace|\.ts:|\.js:|node_modules/,
    );
  });

  /** A server that reads the request and never responds: only the key-set fetch's deadline ends the wait. */
  async function silentKeySet(): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
      close: () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(() => resolve()));
      },
    };
  }

  it.each([
    // Port 9 (discard) refuses connections.
    [
      'refuses the connection',
      () => Promise.resolve({ url: 'http://127.0.0.1:9/jwks.json', close: () => Promise.resolve() }),
    ],
    ['accepts the connection and never answers', silentKeySet],
  ])(
    'answers a mutation whose key-set server %s with a generic error, not a 401, writing nothing',
    async (_label, keySet) => {
      // The key set being unreachable is our fault, not the caller's.
      const { url, close } = await keySet();
      try {
        const authenticate = createAuthenticator({
          mode: 'jwt',
          jwksUrl: url,
          issuer: 'https://issuer.test/',
          audience: 'api',
        });
        const { privateKey } = await generateKeyPair('ES256');
        const token = await new SignJWT({})
          .setProtectedHeader({ alg: 'ES256' })
          .setSubject('u')
          .setIssuer('https://issuer.test/')
          .setAudience('api')
          .setExpirationTime('5m')
          .sign(privateKey);
        const fn = await awsLikeFunction({ authenticate });
        const answer = await call(
          fn,
          'mutation { proposeDestination(input: { name: "Keyless", latitude: 1, longitude: 1 }) { __typename } }',
          { authorization: `Bearer ${token}` },
        );
        expect(answer.status).not.toBe(401);
        expect(answer.body.errors![0]).toMatchObject({
          message: 'Internal server error',
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
        expect(answer.body.data ?? null).toBeNull();
        expect(answer.text).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|fetch failed|timed out|jwks/i);
        expect(await scanAll(fn.stores.endpoint, fn.stores.tables.events)).toEqual([]);
      } finally {
        await close();
      }
    },
  );
});
