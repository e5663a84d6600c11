/**
 * The homepage's weight: its script calls the API through @visitplannr/sdk, which may cost
 * at most 5 KB gzip over the hand-written fetch and GraphQL strings it replaced.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildHomepageAssets } from '../../src/shell/site/assets.js';
import { HOMEPAGE_ASSETS } from '../../src/site/assets.js';

/** homepage.js gzipped before it used the SDK (esbuild 0.28.2, minified, gzip level 6). */
const BEFORE_SDK_GZIP_BYTES = 2450;
const ALLOWED_GROWTH_BYTES = 5 * 1024;

describe('the homepage script', () => {
  it('grows by at most 5 KB gzip for using the SDK', async () => {
    const script = (await buildHomepageAssets()).find((object) => object.key === HOMEPAGE_ASSETS.js);
    const gzipped = gzipSync(script!.body).length;
    expect(gzipped).toBeLessThanOrEqual(BEFORE_SDK_GZIP_BYTES + ALLOWED_GROWTH_BYTES);
  });
});
