/**
 * Security over real HTTP: mutations behind an API key or a JWT (verified against a JWKS
 * served over HTTP), and what a refused or failing request reveals.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/shell/auth/api-key.js';
import type { LocalStack } from '../../local/stack.js';
import { useTestStacks } from '../support/stack.js';
import { expectNothingStored } from '../support/tables.js';
import { type GraphQLResponse, PROPOSE } from './client.js';

const KEYS = ['first-key-5f2b7c', 'second-key-9a41de'];
const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'visitplannr-api';

let jwks: Server;
let jwksUrl = '';
let signingKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const [pair, other] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES256')]);
  signingKey = pair.privateKey;
  otherKey = other.privateKey;
  const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  jwks = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
});
// Registered before the stacks, so it runs after they have stopped.
afterAll(() => new Promise((resolve) => jwks?.close(resolve)));
const [apiKeyStack, jwtStack] = useTestStacks(
  { auth: { mode: 'api-key', apiKeyDigests: KEYS.map((key) => sha256(key).toString('hex')) } },
  () => ({ auth: { mode: 'jwt', jwksUrl, issuer: ISSUER, audience: AUDIENCE } }),
);

const input = (name: string) => ({ name, latitude: 50.85, longitude: 4.35 });

async function post(stack: LocalStack, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse };
}

/** Proposes with the given headers and checks the refusal: 401, UNAUTHENTICATED, and nothing stored. */
async function expectRefused(stack: LocalStack, headers: Record<string, string>, message: RegExp) {
  const answer = await expectNothingStored(stack, () =>
    post(stack, { query: PROPOSE, variables: { input: input('Brussels') } }, headers),
  );
  expect(answer.status).toBe(401);
  expect(answer.body.errors![0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  expect(answer.body.errors![0]!.message).toMatch(message);
  expect(answer.body.data ?? null).toBeNull();
}

describe('AUTH_MODE=api-key', () => {
  it.each([
    ['no key', {}, /Send an API key in the x-api-key header/],
    ['an empty key', { 'x-api-key': '' }, /Send an API key/],
    ['a wrong key', { 'x-api-key': 'not-a-key' }, /The API key is not valid/],
    ['a key differing in case', { 'x-api-key': KEYS[0]!.toUpperCase() }, /The API key is not valid/],
    ['a key with a suffix', { 'x-api-key': `${KEYS[0]}x` }, /The API key is not valid/],
    ['the key as a bearer token', { authorization: `Bearer ${KEYS[0]}` }, /Send an API key/],
  ])('refuses a mutation with %s, storing nothing', async (_label, headers, message) => {
    await expectRefused(apiKeyStack, headers, message);
  });

  it('accepts a mutation with any configured key', async () => {
    for (const key of KEYS) {
      const answer = await post(
        apiKeyStack,
        { query: PROPOSE, variables: { input: input(`Keyed ${key.slice(0, 5)}`) } },
        { 'x-api-key': key },
      );
      expect(answer.body.data?.proposeDestination).toMatchObject({
        __typename: 'DestinationProposed',
        destination: { name: `Keyed ${key.slice(0, 5)}` },
      });
    }
  });

  it('keeps queries open', async () => {
    const answer = await post(apiKeyStack, { query: '{ recentDestinations { id } }' });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
  });
});

describe('AUTH_MODE=jwt', () => {
  const token = (
    claims: Record<string, unknown> = {},
    options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string | number } = {},
  ) =>
    new SignJWT({ scope: 'propose', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('user-1')
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.key ?? signingKey);

  it.each([
    ['no Authorization header', () => Promise.resolve({}), /Send a bearer token/],
    [
      'a non-bearer scheme',
      () => Promise.resolve({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }),
      /Send a bearer token/,
    ],
    ['garbage', () => Promise.resolve({ authorization: 'Bearer not.a.jwt' }), /The token is not valid/],
    [
      'a token signed by another key',
      async () => ({ authorization: `Bearer ${await token({}, { key: otherKey })}` }),
      /The token is not valid/,
    ],
    [
      'an expired token',
      async () => ({ authorization: `Bearer ${await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 60 })}` }),
      /The token has expired/,
    ],
    [
      'another audience',
      async () => ({ authorization: `Bearer ${await token({}, { audience: 'someone-else' })}` }),
      /The token is not valid/,
    ],
    [
      'another issuer',
      async () => ({ authorization: `Bearer ${await token({}, { issuer: 'https://evil.test/' })}` }),
      /The token is not valid/,
    ],
    [
      'an unsigned token (alg none)',
      () =>
        Promise.resolve({
          authorization: `Bearer ${new UnsecuredJWT({ sub: 'user-1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').encode()}x`,
        }),
      /The token is not valid/,
    ],
  ])('refuses a mutation with %s, storing nothing', async (_label, headers, message) => {
    await expectRefused(jwtStack, await headers(), message);
  });

  it('accepts a mutation with a valid token', async () => {
    const answer = await post(
      jwtStack,
      { query: PROPOSE, variables: { input: input('Tokened') } },
      { authorization: `Bearer ${await token()}` },
    );
    expect(answer.body.data?.proposeDestination).toMatchObject({
      __typename: 'DestinationProposed',
      destination: { name: 'Tokened' },
    });
  });
});
