/**
 * The homepage's weight. The whole page (HTML with a full list of 50 destinations and its map,
 * the script, the styles; gzip, as CloudFront serves them) stays within 150 KB; and the script's
 * own code with the SDK costs at most 5 KB gzip over the hand-written fetch it replaced (the
 * map's projection, d3-geo, is counted in the page's budget, not in this one).
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { fullRecentList } from '../support/destinations.js';
import { describe, expect, it } from 'vitest';
import { homepageHtml } from '../../src/handlers/render-homepage.js';
import { buildHomepageAssets } from '../../src/shell/site/build-assets.js';

/** homepage.js gzipped before it used the SDK (esbuild 0.28.2, minified, gzip level 6). */
const BEFORE_SDK_GZIP_BYTES = 2450;
const ALLOWED_GROWTH_BYTES = 5 * 1024;
const PAGE_BUDGET_BYTES = 150 * 1024;

/** The heaviest list the projection holds: every slot taken, names at their 100-character limit. */
const fullList = fullRecentList((i) => `A destination with a long name & more, number ${i} `.padEnd(100, 'x'));

describe('the homepage', () => {
  it('weighs at most 150 KB gzip (HTML with a full list and the map, script and styles)', async () => {
    const html = homepageHtml({ version: 1, entries: fullList });
    const assets = await buildHomepageAssets();
    const total = [html, ...assets.map((asset) => asset.body)].reduce((sum, body) => sum + gzipSync(body).length, 0);
    expect(total).toBeLessThanOrEqual(PAGE_BUDGET_BYTES);
  });

  it('has a script whose own code and SDK grew by at most 5 KB gzip for using the SDK', async () => {
    const bundle = await build({
      entryPoints: [join(import.meta.dirname, '../../src/site/client/homepage.ts')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: true,
      write: false,
      external: ['d3-geo'],
      logLevel: 'silent',
    });
    expect(gzipSync(bundle.outputFiles[0]!.text).length).toBeLessThanOrEqual(
      BEFORE_SDK_GZIP_BYTES + ALLOWED_GROWTH_BYTES,
    );
  });
});
