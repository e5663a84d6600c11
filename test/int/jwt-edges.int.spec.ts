/**
 * The JWT authenticator against the tokens a forger or a broken issuer sends, and against a
 * key-set server that accepts the connection and never answers. The real authenticator and
 * jose, a real key set served over local HTTP (node:http). Each refusal is checked for its
 * reason (the jose error it wraps), so a token refused for some other fault cannot pass.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnauthenticatedError } from '../../src/errors/index.js';
import { type Authenticator, createAuthenticator } from '../../src/shell/auth/authenticator.js';

const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'visitplannr-api';
const KID = 'rsa-1';

let keySet: Server;
let silent: Server;
let silentRequests = 0;
let privateKey: CryptoKey;
let publicPem: string;
let authenticate: Authenticator;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
}

beforeAll(async () => {
  // RSA: the key type whose public half a confused verifier would take as an HMAC secret.
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  publicPem = await exportSPKI(pair.publicKey);
  const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  keySet = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [publicJwk] }));
  });
  // Reads the request and never responds: only the fetch's own deadline can end the wait.
  silent = createServer(() => {
    silentRequests++;
  });
  const [keySetUrl] = await Promise.all([listen(keySet), listen(silent)]);
  authenticate = createAuthenticator({ mode: 'jwt', jwksUrl: keySetUrl, issuer: ISSUER, audience: AUDIENCE });
});
afterAll(async () => {
  silent?.closeAllConnections();
  await Promise.all(
    [keySet, silent].map((server) => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)))),
  );
});

/** A token as the issuer makes it, less the registered claims `without` names. */
function signed(
  header: { alg: string; kid: string },
  key: CryptoKey | Uint8Array,
  without: ReadonlySet<'sub' | 'exp'> = new Set(),
): Promise<string> {
  const token = new SignJWT({}).setProtectedHeader(header).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt();
  if (!without.has('sub')) token.setSubject('user-1');
  if (!without.has('exp')) token.setExpirationTime('5m');
  return token.sign(key);
}

const bearer = (token: string) => new Map([['authorization', `Bearer ${token}`]]);
const rsaToken = ({ kid = KID, without }: { kid?: string; without?: ReadonlySet<'sub' | 'exp'> } = {}) =>
  signed({ alg: 'RS256', kid }, privateKey, without);

/** Authenticates and returns the refusal, failing the test if the token is accepted or the error is of another kind. */
async function refusal(headers: ReadonlyMap<string, string>): Promise<UnauthenticatedError> {
  const error = await authenticate(headers).then(
    (caller) => {
      throw new Error(`accepted as ${caller.subject}`);
    },
    (rejected: unknown) => rejected,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return error as UnauthenticatedError;
}

describe('the JWT authenticator', () => {
  it('accepts a complete RS256 token from the key set (the control: the cases below differ from it in one thing)', async () => {
    await expect(authenticate(bearer(await rsaToken()))).resolves.toEqual({ subject: 'user-1' });
  });

  it.each(['sub', 'exp'] as const)(
    'refuses a signed token without %s as not valid, naming the missing claim only in the cause',
    async (claim) => {
      const error = await refusal(bearer(await rsaToken({ without: new Set([claim]) })));
      expect(error.message).toBe('The token is not valid.');
      expect(error.cause).toBeInstanceOf(errors.JWTClaimValidationFailed);
      expect(error.cause).toMatchObject({ claim, reason: 'missing' });
    },
  );

  it('refuses HS256 signed with the RSA public key as the secret (key confusion) before any key is used', async () => {
    const forged = await signed({ alg: 'HS256', kid: KID }, new TextEncoder().encode(publicPem));
    const error = await refusal(bearer(forged));
    expect(error.message).toBe('The token is not valid.');
    expect(error.cause).toBeInstanceOf(errors.JOSEAlgNotAllowed);
  });

  it('refuses a token whose kid the key set does not hold', async () => {
    const error = await refusal(bearer(await rsaToken({ kid: 'rsa-unknown' })));
    expect(error.message).toBe('The token is not valid.');
    expect(error.cause).toBeInstanceOf(errors.JWKSNoMatchingKey);
  });

  it("fails a call whose key-set server accepts the connection and never answers with the fetch deadline, not as the caller's fault", async () => {
    const silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/.well-known/jwks.json`;
    const stalled = createAuthenticator({ mode: 'jwt', jwksUrl: silentUrl, issuer: ISSUER, audience: AUDIENCE });
    // A valid token, so nothing but the key set can stop it. The test's own timeout would catch a hang.
    const error = await stalled(bearer(await rsaToken())).then(
      () => undefined,
      (rejected: unknown) => rejected,
    );
    expect(silentRequests).toBeGreaterThan(0);
    // The timeout the authenticator sets on the fetch, not a refusal: a 401 would tell the caller its token is bad.
    expect(error).toBeInstanceOf(errors.JWKSTimeout);
    expect(error).not.toBeInstanceOf(UnauthenticatedError);
  });
});
