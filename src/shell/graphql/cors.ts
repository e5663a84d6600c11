/**
 * CORS for the GraphQL API: only origins on the allowlist (e.g. the site's) get the
 * headers a browser needs to call it; no wildcard. Preflights are answered here, before
 * Apollo (whose CSRF prevention stays on: browsers must send JSON, which needs a preflight).
 */
export const CORS_MAX_AGE_SECONDS = 600;

export type Headers = Record<string, string>;

/** Comma-separated origins from configuration, e.g. `ALLOWED_ORIGINS`. */
export function parseAllowedOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}

/** Headers for an actual (non-preflight) response. `Vary: Origin` always: the answer depends on it. */
export function corsHeaders(allowedOrigins: readonly string[], origin: string | undefined): Headers {
  if (!origin || !allowedOrigins.includes(origin)) return { vary: 'Origin' };
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

/** The answer to an OPTIONS preflight: 204 with permissions for an allowed origin, 403 without for others. */
export function preflightResponse(
  allowedOrigins: readonly string[],
  origin: string | undefined,
): { statusCode: number; headers: Headers } {
  const headers = corsHeaders(allowedOrigins, origin);
  if (!headers['access-control-allow-origin']) return { statusCode: 403, headers };
  return {
    statusCode: 204,
    headers: {
      ...headers,
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers':
        'content-type, apollo-require-preflight, x-apollo-operation-name, authorization, x-api-key',
      'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    },
  };
}
