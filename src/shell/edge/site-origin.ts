/**
 * Requests that came through the site's edge (CloudFront on AWS, the local edge in the local
 * stack): the edge adds a secret header the public never sees, and the viewer's address.
 * Only with the secret is the address trusted; without it, a forwarded address is anyone's
 * invention and is ignored.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidAuthConfigurationError } from '../auth/configuration-error.js';

/** Added by the edge to every origin request for /graphql; a viewer's own value is overwritten there. */
export const ORIGIN_SECRET_HEADER = 'x-origin-verify';
/** CloudFront's `CloudFront-Viewer-Address`: `ip:port` of the viewer (IPv6 unbracketed, e.g. `2001:db8::1:443`). */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';
/** Long enough that guessing is hopeless (e.g. `openssl rand -hex 32` gives 64). */
export const MIN_SECRET_LENGTH = 32;

/** A visitor of the site, as the edge vouches for it. */
export interface SiteVisitor {
  /** The viewer's IP address (the port is dropped: it changes with every connection). */
  readonly address: string;
}

export type SiteVisitorCheck = (headers: ReadonlyMap<string, string>) => SiteVisitor | null;

/**
 * Comma-separated secrets, e.g. `ORIGIN_SECRETS`: the current one first, then the previous one
 * while a rotation is under way.
 */
export function parseOriginSecrets(value: string | undefined): string[] {
  const secrets = (value ?? '')
    .split(',')
    .map((secret) => secret.trim())
    .filter(Boolean);
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH)
      throw new InvalidAuthConfigurationError(
        'ORIGIN_SECRETS',
        `each of ORIGIN_SECRETS needs at least ${MIN_SECRET_LENGTH} characters`,
      );
  }
  return secrets;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Accepts any of `secrets` (rotation: current and previous). Digests of equal length are
 * compared with timingSafeEqual, every secret every time, so timing tells neither which nor how long.
 * No secrets configured: nobody is a site visitor (the edge path is off).
 */
export function siteVisitorCheck(secrets: readonly string[]): SiteVisitorCheck {
  const expected = secrets.map(digest);
  return (headers) => {
    const presented = headers.get(ORIGIN_SECRET_HEADER);
    if (presented === undefined || expected.length === 0) return null;
    const candidate = digest(presented);
    let matched = false;
    for (const secret of expected) matched = timingSafeEqual(candidate, secret) || matched;
    if (!matched) return null;
    const address = viewerIp(headers.get(VIEWER_ADDRESS_HEADER));
    // The edge always sends it; its absence means a misconfigured edge: one shared budget, not none.
    return { address: address ?? 'unknown' };
  };
}

function viewerIp(value: string | undefined): string | null {
  if (!value) return null;
  const separator = value.lastIndexOf(':');
  const ip = separator > 0 ? value.slice(0, separator) : value;
  // Addresses only: the value becomes part of a cache key.
  return /^[0-9a-fA-F.:]{2,45}$/.test(ip) ? ip.toLowerCase() : null;
}

/**
 * The viewer headers the edge passes to the API: what GraphQL over HTTP needs, nothing else.
 * Credentials (`authorization`, `x-api-key`) are not among them: through the site everyone
 * is an anonymous visitor; callers with a key or token call the API directly.
 */
export const FORWARDED_VIEWER_HEADERS = [
  'content-type',
  'accept',
  'apollo-require-preflight',
  'x-apollo-operation-name',
] as const;
