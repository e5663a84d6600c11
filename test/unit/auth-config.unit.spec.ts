import { describe, expect, it } from 'vitest';
import { sha256 } from '../../src/shell/auth/api-key.js';
import { authOptionsFrom, createAuthenticator, parseAuthMode } from '../../src/shell/auth/authenticator.js';
import { InvalidAuthConfigurationError } from '../../src/shell/auth/configuration-error.js';
import { UnauthenticatedError } from '../../src/errors/index.js';

describe('auth configuration', () => {
  it('defaults to the mode the entry point names (api-key on AWS, none locally)', () => {
    expect(parseAuthMode(undefined, 'api-key')).toBe('api-key');
    expect(parseAuthMode('', 'none')).toBe('none');
    expect(parseAuthMode('jwt', 'api-key')).toBe('jwt');
  });

  it('refuses an unknown mode', () => {
    expect(() => parseAuthMode('basic', 'none')).toThrow(InvalidAuthConfigurationError);
  });

  it('fails closed: a mode without its settings is a startup error, not an open API', () => {
    expect(() => authOptionsFrom({}, 'api-key')).toThrow(/AUTH_MODE=api-key needs API_KEY_SHA256/);
    expect(() => authOptionsFrom({ JWT_JWKS_URL: 'https://issuer.test/jwks' }, 'jwt')).toThrow(/needs JWT_ISSUER/);
    expect(() => createAuthenticator({ mode: 'api-key', apiKeyDigests: ['not-hex'] })).toThrow(/64 hex characters/);
    expect(() => createAuthenticator({ mode: 'api-key', apiKeyDigests: [] })).toThrow(/lists no key/);
  });

  it('reads a comma-separated list of key digests', () => {
    const digests = [sha256('a').toString('hex'), sha256('b').toString('hex')];
    expect(authOptionsFrom({ API_KEY_SHA256: ` ${digests[0]}, ${digests[1]} ` }, 'api-key')).toEqual({
      mode: 'api-key',
      apiKeyDigests: digests,
    });
  });

  it('tells which key matched, and refuses others with UnauthenticatedError', async () => {
    const authenticate = createAuthenticator({
      mode: 'api-key',
      apiKeyDigests: [sha256('a').toString('hex'), sha256('b').toString('hex')],
    });
    await expect(authenticate(new Map([['x-api-key', 'b']]))).resolves.toEqual({ subject: 'api-key-2' });
    await expect(authenticate(new Map([['x-api-key', 'c']]))).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
