/**
 * Who may call the mutations. `none`: anyone (the local stack's default); `api-key`: an
 * `x-api-key` header whose SHA-256 digest is configured (the AWS default); `jwt`: a bearer
 * token signed by a key of the configured JWKS, for the configured issuer and audience.
 */
import { apiKeyAuthenticator } from './api-key.js';
import { InvalidAuthConfigurationError } from './configuration-error.js';
import { jwtAuthenticator } from './jwt.js';

export type AuthMode = 'none' | 'api-key' | 'jwt';

export type AuthOptions =
  | { readonly mode: 'none' }
  | { readonly mode: 'api-key'; readonly apiKeyDigests: readonly string[] }
  | { readonly mode: 'jwt'; readonly jwksUrl: string; readonly issuer: string; readonly audience: string };

/** The caller as far as authentication knows it. */
export interface Caller {
  readonly subject: string;
}

/** Resolves with the caller, or rejects with UnauthenticatedError (src/errors). Header names are lower case. */
export type Authenticator = (headers: ReadonlyMap<string, string>) => Promise<Caller>;

export function parseAuthMode(value: string | undefined, fallback: AuthMode): AuthMode {
  if (value === undefined || value === '') return fallback;
  if (value === 'none' || value === 'api-key' || value === 'jwt') return value;
  throw new InvalidAuthConfigurationError('AUTH_MODE', `AUTH_MODE must be "none", "api-key" or "jwt", not "${value}"`);
}

/** Reads the settings for `mode` from an environment; a mode missing its settings is a startup error (fail closed). */
export function authOptionsFrom(env: Readonly<Record<string, string | undefined>>, mode: AuthMode): AuthOptions {
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new InvalidAuthConfigurationError(name, `AUTH_MODE=${mode} needs ${name}`);
    return value;
  };
  switch (mode) {
    case 'none':
      return { mode };
    case 'api-key':
      return {
        mode,
        apiKeyDigests: need('API_KEY_SHA256')
          .split(',')
          .map((digest) => digest.trim())
          .filter(Boolean),
      };
    case 'jwt':
      return { mode, jwksUrl: need('JWT_JWKS_URL'), issuer: need('JWT_ISSUER'), audience: need('JWT_AUDIENCE') };
    default: {
      const unknown: never = mode;
      throw new InvalidAuthConfigurationError('AUTH_MODE', `unknown mode ${String(unknown)}`);
    }
  }
}

export function createAuthenticator(options: AuthOptions): Authenticator {
  switch (options.mode) {
    case 'none':
      return () => Promise.resolve({ subject: 'anonymous' });
    case 'api-key':
      return apiKeyAuthenticator(options.apiKeyDigests);
    case 'jwt':
      return jwtAuthenticator(options);
    default: {
      const unknown: never = options;
      throw new InvalidAuthConfigurationError('AUTH_MODE', `unknown auth mode ${JSON.stringify(unknown)}`);
    }
  }
}
