/**
 * `npm run bench:render`: the homepage's render time and weight, in-process (no stack, no I/O).
 * Renders a full recent list (50 destinations, each with a map pin) the way render-homepage
 * does, many times, and reports the time per page; the first render of a process also
 * loads the map's land (drawn once per process), so it is reported apart. Writes
 * bench/render-results.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { RECENT_CAPACITY } from '../src/domain/recent-destinations.js';
import { buildHomepageAssets } from '../src/shell/site/build-assets.js';
import { fullRecentList } from '../test/support/destinations.js';
import { percentile } from './stats.js';

const RENDERS = Number(process.env['RENDERS'] ?? 500);
const fullList = fullRecentList();

// The import draws the land: what a cold start pays once.
const importStarted = performance.now();
const { homepageHtml } = await import('../src/handlers/render-homepage.js');
const importMs = performance.now() - importStarted;

const firstStarted = performance.now();
const first = homepageHtml({ version: 1, entries: fullList });
const firstMs = performance.now() - firstStarted;

const times: number[] = [];
for (let i = 0; i < RENDERS; i++) {
  const started = performance.now();
  homepageHtml({ version: i + 2, entries: fullList });
  times.push(performance.now() - started);
}
times.sort((a, b) => a - b);

const assets = await buildHomepageAssets();
const weights = [{ key: 'index.html (50 destinations)', body: first }, ...assets].map(({ key, body }) => ({
  key,
  raw: Buffer.byteLength(body),
  gzip: gzipSync(body).length,
}));
const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const ms = (value: number) => value.toFixed(2);

const report = [
  '# Homepage render bench',
  '',
  `\`npm run bench:render\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.arch}; ${RENDERS} renders of a full list (${RECENT_CAPACITY} destinations and pins).`,
  '',
  '| what | ms |',
  '|---|---:|',
  `| module load, the map's land drawn once per process (a cold start's share) | ${ms(importMs)} |`,
  `| first render | ${ms(firstMs)} |`,
  `| render per page, median | ${ms(percentile(times, 50))} |`,
  `| render per page, p95 | ${ms(percentile(times, 95))} |`,
  `| render per page, max | ${ms(times.at(-1) ?? Number.NaN)} |`,
  '',
  '| object | raw KiB | gzip KiB |',
  '|---|---:|---:|',
  ...weights.map((weight) => `| ${weight.key} | ${kib(weight.raw)} | ${kib(weight.gzip)} |`),
  `| **page total** | ${kib(weights.reduce((sum, weight) => sum + weight.raw, 0))} | **${kib(weights.reduce((sum, weight) => sum + weight.gzip, 0))}** |`,
  '',
].join('\n');
writeFileSync(join(import.meta.dirname, 'render-results.md'), report);
process.stdout.write(report);
