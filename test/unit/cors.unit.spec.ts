import { describe, expect, it } from 'vitest';
import { corsHeaders, parseAllowedOrigins, preflightResponse } from '../../src/shell/graphql/cors.js';

const allowed = ['https://www.visitplannr.example', 'http://127.0.0.1:5000'];

describe('CORS allowlist', () => {
  it('given an allowed origin, then the response names exactly that origin (never *) and varies on Origin', () => {
    expect(corsHeaders(allowed, 'http://127.0.0.1:5000')).toEqual({
      'access-control-allow-origin': 'http://127.0.0.1:5000',
      vary: 'Origin',
    });
  });

  it.each([['https://evil.example'], ['https://www.visitplannr.example.evil.example'], [undefined]])(
    'given origin %s, then no CORS permission is granted',
    (origin) => {
      expect(corsHeaders(allowed, origin)).toEqual({ vary: 'Origin' });
    },
  );

  it('given a preflight from an allowed origin, then it permits POST with a JSON content type', () => {
    const { statusCode, headers } = preflightResponse(allowed, 'https://www.visitplannr.example');
    expect(statusCode).toBe(204);
    expect(headers['access-control-allow-origin']).toBe('https://www.visitplannr.example');
    expect(headers['access-control-allow-methods']).toContain('POST');
    expect(headers['access-control-allow-headers']).toContain('content-type');
    expect(headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('given a preflight from another origin, then it is refused without permissions', () => {
    expect(preflightResponse(allowed, 'https://evil.example')).toEqual({
      statusCode: 403,
      headers: { vary: 'Origin' },
    });
  });

  it('given configuration text, then origins are split on commas and trimmed; empty means none', () => {
    expect(parseAllowedOrigins(' https://a.example , http://b.example:8080,')).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(parseAllowedOrigins(undefined)).toEqual([]);
  });
});
