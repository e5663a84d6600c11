import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { UnauthenticatedError } from '../../errors/index.js';
import type { Authenticator } from './authenticator.js';

/** Fetching the key set is a wait like any other: bounded, and a failure refuses the call. */
const JWKS_TIMEOUT_MS = 2000;
const ALGORITHMS = ['RS256', 'ES256'];

export function jwtAuthenticator({
  jwksUrl,
  issuer,
  audience,
}: {
  jwksUrl: string;
  issuer: string;
  audience: string;
}): Authenticator {
  const keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: JWKS_TIMEOUT_MS });
  return async (headers) => {
    const authorization = headers.get('authorization');
    const token = authorization?.match(/^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/)?.[1];
    if (!token) throw new UnauthenticatedError('Send a bearer token in the Authorization header.');
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer,
        audience,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp'],
      });
      return { subject: String(payload.sub) };
    } catch (error) {
      // The key set being unreachable is our fault, not the caller's: an internal error.
      if (
        !(error instanceof errors.JOSEError) ||
        error instanceof errors.JWKSTimeout ||
        error instanceof errors.JWKSInvalid
      )
        throw error;
      // Say what the caller can act on, not which check failed (that helps forgers).
      const expired = error instanceof errors.JWTExpired;
      throw new UnauthenticatedError(expired ? 'The token has expired.' : 'The token is not valid.', { cause: error });
    }
  };
}
