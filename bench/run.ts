/**
 * `npm run bench`: the write path's latency on the local stack, reported as ratios
 * measured in one run (absolute figures on a shared 2-core machine are noise).
 * Writes bench/results.md.
 */
import { writeFileSync } from 'node:fs';
import { startLocalStack } from '../src/shell/local/stack.js';
import { createProgress } from '../src/shell/ops/progress.js';

const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 200);
const CONCURRENCY = 16;

const stack = await startLocalStack({ port: 0, logLevel: 'ERROR', namespace: `bench-${process.pid}` });
// Every request goes through post: 20 warm-up, then SAMPLES for each of the three rows and the burst.
const progress = createProgress('bench', { total: 20 + 4 * SAMPLES });
const post = async (query: string, variables: Record<string, unknown> = {}): Promise<Record<string, any>> => {
  progress.tick();
  const response = await fetch(stack.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as Record<string, any>;
};
const PROPOSE = 'mutation($input: ProposeDestinationInput!) { proposeDestination(input: $input) { __typename } }';
let counter = 0;
const propose = (waitFor: string) => post(PROPOSE, { input: { name: `Bench ${counter++}`, latitude: 48.85, longitude: 2.35, waitFor } });

async function timed(label: string, run: () => Promise<Record<string, any>>, check: (result: Record<string, any>) => boolean): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    const result = await run();
    samples.push(performance.now() - started);
    if (!check(result)) throw new Error(`${label}: unexpected answer ${JSON.stringify(result)}`);
  }
  return samples.sort((a, b) => a - b);
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const proposed = (result: Record<string, any>) => result['data']?.proposeDestination?.__typename === 'DestinationProposed';

// Warm up the JIT, the connections and DynamoDB Local.
for (let i = 0; i < 20; i++) await propose('PROPOSED');

const query = await timed('query', () => post('{ recentDestinations(limit: 5) { id } }'), (result) => Array.isArray(result['data']?.recentDestinations));
const mutationProposed = await timed('propose PROPOSED', () => propose('PROPOSED'), proposed);
const mutationChecked = await timed('propose LOCATION_CHECKED', () => propose('LOCATION_CHECKED'), proposed);

const burstStarted = performance.now();
let burstDone = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (burstDone < SAMPLES) {
      burstDone++;
      if (!proposed(await propose('PROPOSED'))) throw new Error('burst: unexpected answer');
    }
  }),
);
const burstMs = performance.now() - burstStarted;
const sequentialMs = mutationProposed.reduce((sum, ms) => sum + ms, 0);
await stack.stop();

const ratio = (a: number, b: number) => (a / b).toFixed(1);
const lines = [
  '# Benchmark results',
  '',
  `Measured ${new Date().toISOString()} by \`npm run bench\`: the local stack (DynamoDB Local, Redis, local bus) on one machine, ${SAMPLES} samples per row.`,
  'Ratios are the figures to compare across runs; milliseconds are only for scale on this machine.',
  '',
  '| what | p50 ms | p99 ms | ratio (p50) |',
  '|---|---|---|---|',
  `| query \`recentDestinations\` (1 GetItem) | ${pct(query, 50).toFixed(1)} | ${pct(query, 99).toFixed(1)} | 1.0 (baseline) |`,
  `| \`proposeDestination\`, waitFor PROPOSED (command → stream → decide → bus → project → Redis → answer) | ${pct(mutationProposed, 50).toFixed(1)} | ${pct(mutationProposed, 99).toFixed(1)} | ${ratio(pct(mutationProposed, 50), pct(query, 50))}× query |`,
  `| \`proposeDestination\`, waitFor LOCATION_CHECKED (one more handler hop) | ${pct(mutationChecked, 50).toFixed(1)} | ${pct(mutationChecked, 99).toFixed(1)} | ${ratio(pct(mutationChecked, 50), pct(mutationProposed, 50))}× PROPOSED |`,
  '',
  `Throughput: ${SAMPLES} proposals from ${CONCURRENCY} concurrent clients took ${burstMs.toFixed(0)} ms, ${ratio(sequentialMs, burstMs)}× faster than the same count sequentially (the decider and fan-out batch what arrives together).`,
  '',
];
writeFileSync(new URL('./results.md', import.meta.url), lines.join('\n'));
process.stdout.write(lines.join('\n'));
