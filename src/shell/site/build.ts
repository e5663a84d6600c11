/**
 * `npm run build:site [folder]`: writes the homepage's static objects (homepage.js,
 * homepage.css) to a folder (default dist/site), for a deployment to upload beside the
 * index.html the renderer writes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildHomepageAssets } from './assets.js';

const folder = resolve(process.argv[2] ?? 'dist/site');
await mkdir(folder, { recursive: true });
for (const asset of await buildHomepageAssets()) {
  await writeFile(join(folder, asset.key), asset.body);
  process.stdout.write(`${join(folder, asset.key)}  ${asset.contentType}  ${asset.cacheControl}\n`);
}
