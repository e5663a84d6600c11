/**
 * The homepage's static objects: its script (TypeScript bundled by esbuild, for browsers)
 * and its styles. The local stack uploads them at start; a deployment uploads the same.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { SiteObject } from '../../ports/index.js';
import { HOMEPAGE_ASSETS } from '../../site/assets.js';

const siteDir = join(dirname(fileURLToPath(import.meta.url)), '../../site');
// Not fingerprinted: short browser caching, and every upload invalidates the CDN's copy.
const ASSET_CACHE_CONTROL = 'public, max-age=300, s-maxage=31536000';

export async function buildHomepageAssets(): Promise<SiteObject[]> {
  const bundle = await build({
    entryPoints: [join(siteDir, 'client/homepage.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]?.text;
  if (!js) throw new Error('esbuild produced no homepage script');
  const css = await readFile(join(siteDir, 'homepage.css'), 'utf8');
  return [
    {
      key: HOMEPAGE_ASSETS.js,
      body: js,
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: ASSET_CACHE_CONTROL,
    },
    { key: HOMEPAGE_ASSETS.css, body: css, contentType: 'text/css; charset=utf-8', cacheControl: ASSET_CACHE_CONTROL },
  ];
}
