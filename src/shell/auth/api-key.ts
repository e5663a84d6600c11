import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../../errors/index.js';
import type { Authenticator } from './authenticator.js';
import { InvalidAuthConfigurationError } from './configuration-error.js';

export const API_KEY_HEADER = 'x-api-key';

export const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Keys are configured as SHA-256 digests (hex), so the function's environment never holds
 * a key. Comparing digests of equal length with timingSafeEqual leaks neither the key nor
 * its length through timing; every configured digest is compared, match or not.
 */
export function apiKeyAuthenticator(hexDigests: readonly string[]): Authenticator {
  const digests = hexDigests.map((hex) => {
    if (!/^[0-9a-f]{64}$/i.test(hex))
      throw new InvalidAuthConfigurationError(
        'API_KEY_SHA256',
        'API_KEY_SHA256 must list SHA-256 digests as 64 hex characters',
      );
    return Buffer.from(hex, 'hex');
  });
  if (digests.length === 0) throw new InvalidAuthConfigurationError('API_KEY_SHA256', 'API_KEY_SHA256 lists no key');
  // eslint-disable-next-line @typescript-eslint/require-await -- async: a refusal rejects (the contract), never throws
  return async (headers) => {
    const key = headers.get(API_KEY_HEADER);
    if (!key) throw new UnauthenticatedError(`Send an API key in the ${API_KEY_HEADER} header.`);
    const presented = sha256(key);
    let matched = -1;
    digests.forEach((digest, index) => {
      if (timingSafeEqual(presented, digest) && matched === -1) matched = index;
    });
    if (matched === -1) throw new UnauthenticatedError('The API key is not valid.');
    return { subject: `api-key-${matched + 1}` };
  };
}
