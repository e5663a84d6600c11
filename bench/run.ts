/**
 * `npm run bench`: the write path on the local stack, measured in one run (the machine is
 * shared and noisy, so compare ratios), written to bench/results.md:
 * - the component floor (bench/floor.ts) and the answer, one mutation at a time, against it;
 * - throughput from 32 concurrent clients, and an overload of 256, each from a load
 *   generator in its own process (bench/load.ts), with CPU per process;
 * - DynamoDB calls per accepted mutation, by operation (an SDK middleware on the stack's clients);
 * - where the time goes, hop by hop: the journeys of the 32-client run's proposals, read once it settled;
 * - what the stack costs when idle.
 * Sizes: BENCH_WARM_UP (1000 proposals first), BENCH_SAMPLES (200 one at a time), BENCH_LOAD (1500 per load run).
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startLocalStack } from '../local/stack.js';
import { RECENT_CAPACITY } from '../src/domain/recent-destinations.js';
import { createProgress } from '../src/shell/ops/progress.js';
import { createFloorProbe } from './floor.js';
import { answersByHow, hopFigures, readJourneys } from './journeys.js';
import type { LoadPlan, LoadReport } from './load.js';
import { percentile, processCpuSeconds } from './stats.js';

const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 200);
const LOAD = Number(process.env['BENCH_LOAD'] ?? 1500);
const MUTATION_DEADLINE_MS = 5000;
const IDLE_SECONDS = 10;
const WARM_UP = Number(process.env['BENCH_WARM_UP'] ?? 1000);
/**
 * A pause before each one-at-a-time pair (BENCH_PACING_MS, default none: sequential, as the
 * issue's baseline was measured). Measured: with 100 ms pauses both the floor and the answer pay
 * for waking an idle machine, the answer more (p50 66 vs 27 ms), so pauses measure the machine.
 */
const PACING_MS = Number(process.env['BENCH_PACING_MS'] ?? 0);

const stack = await startLocalStack({
  port: 0,
  logLevel: 'ERROR',
  namespace: `bench-${process.pid}`,
  mutationDeadlineMs: MUTATION_DEADLINE_MS,
});
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
/** The GraphQL answers the bench reads: only whether a proposal was accepted, and that a query returned a list. */
interface Answer {
  readonly data?: {
    readonly proposeDestination?: { readonly __typename: string };
    readonly recentDestinations?: unknown;
  };
}
const post = async (query: string, variables: Record<string, unknown> = {}): Promise<Answer> => {
  const response = await fetch(stack.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer;
};
const PROPOSE = 'mutation($input: ProposeDestinationInput!) { proposeDestination(input: $input) { __typename } }';
let counter = 0;
const propose = (waitFor: string) =>
  post(PROPOSE, { input: { name: `Bench ${counter++}`, latitude: 48.85, longitude: 2.35, waitFor } });
const proposed = (result: Answer) => result.data?.proposeDestination?.__typename === 'DestinationProposed';

async function timed(
  label: string,
  count: number,
  run: () => Promise<Answer>,
  check: (result: Answer) => boolean,
  { before, after }: { before?: (i: number) => Promise<void>; after?: (i: number) => Promise<void> } = {},
): Promise<number[]> {
  const samples: number[] = [];
  const progress = createProgress(`bench: ${label}`, { total: count });
  for (let i = 0; i < count; i++) {
    await before?.(i);
    const started = performance.now();
    const result = await run();
    samples.push(performance.now() - started);
    await after?.(i);
    progress.tick();
    if (!check(result)) throw new Error(`${label}: unexpected answer ${JSON.stringify(result)}`);
  }
  return samples.sort((a, b) => a - b);
}

/** CPU of the stack's Node process (this one) and of DynamoDB Local's JVM while `work` runs, in cores. */
async function cpuDuring<T>(
  work: () => Promise<T>,
): Promise<{ result: T; wallSeconds: number; node: number; jvm: number | null }> {
  const jvmBefore = stack.dynamodbPid ? processCpuSeconds(stack.dynamodbPid) : null;
  const nodeBefore = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const wallSeconds = (performance.now() - started) / 1000;
  const node = process.cpuUsage(nodeBefore);
  const jvmAfter = stack.dynamodbPid ? processCpuSeconds(stack.dynamodbPid) : null;
  return {
    result,
    wallSeconds,
    node: (node.user + node.system) / 1e6 / wallSeconds,
    jvm: jvmBefore !== null && jvmAfter !== null ? (jvmAfter - jvmBefore) / wallSeconds : null,
  };
}

/** Runs a load plan in a child process (its own CPU), returning its report. */
function load(plan: LoadPlan): Promise<LoadReport> {
  const child = fork(new URL('./load.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (report) => resolve(report as LoadReport));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    child.send(plan);
  });
}

/** DynamoDB calls per accepted mutation while `work` runs (until the stack settles), by operation. */
async function callsPer<T>(
  accepted: (result: T) => number,
  work: () => Promise<T>,
): Promise<{ result: T; perMutation: Record<string, number>; total: number }> {
  stack.dynamodbCalls.reset();
  const result = await work();
  await stack.settled();
  const n = accepted(result);
  const perMutation = Object.fromEntries(
    Object.entries(stack.dynamodbCalls.counts).map(([operation, calls]) => [operation, calls / n]),
  );
  return { result, perMutation, total: Object.values(perMutation).reduce((sum, value) => sum + value, 0) };
}

try {
  // DynamoDB Local's JVM answers several times faster once its JIT has compiled the hot paths
  // (measured: a put with a stream costs 4.4 ms of CPU cold, 0.8 ms warm): warm it up with real load first.
  say(`warming up (${WARM_UP} proposals from 16 clients)`);
  await load({
    graphqlUrl: stack.graphqlUrl,
    waitFor: 'PROPOSED',
    requestTimeoutMs: 3 * MUTATION_DEADLINE_MS,
    clients: 16,
    proposals: WARM_UP,
    runId: 'warm-up',
  });
  for (let i = 0; i < 30; i++) await propose('LOCATION_CHECKED');
  await stack.settled();

  say(`measuring the idle stack for ${IDLE_SECONDS} s`);
  await sleep(1000);
  const idle = await cpuDuring(() => sleep(IDLE_SECONDS * 1000));

  // One mutation at a time, each beside one sample of the floor's parts, so both meet the same
  // machine (and the previous mutation's asynchronous tail, the location check); the floor goes
  // first in every other pair, so neither is always the one that follows the other.
  say(`${SAMPLES} proposals one at a time (PROPOSED), each beside a sample of the component floor`);
  const probe = await createFloorProbe({ dynamodbEndpoint: stack.dynamodbEndpoint, redisUrl: stack.redisUrl });
  const sequential = await callsPer(
    () => SAMPLES,
    () =>
      timed('propose PROPOSED', SAMPLES, () => propose('PROPOSED'), proposed, {
        before: async (i) => (await sleep(PACING_MS), i % 2 === 0 ? await probe.sample() : undefined),
        after: async (i) => (i % 2 === 1 ? await probe.sample() : undefined),
      }),
  );
  const floor = probe.floor();
  await probe.close();
  const sequentialMs = sequential.result;
  say(`${SAMPLES / 2} proposals one at a time (LOCATION_CHECKED)`);
  const checked = await timed('propose LOCATION_CHECKED', SAMPLES / 2, () => propose('LOCATION_CHECKED'), proposed, {
    before: () => sleep(PACING_MS),
  });
  const query = await timed(
    'query',
    SAMPLES / 2,
    () => post('{ recentDestinations(limit: 5) { id } }'),
    (result) => Array.isArray(result.data?.recentDestinations),
  );

  say(`${LOAD} proposals from 32 clients`);
  const plan = {
    graphqlUrl: stack.graphqlUrl,
    waitFor: 'PROPOSED',
    requestTimeoutMs: 3 * MUTATION_DEADLINE_MS,
  } as const;
  const loaded = await callsPer(
    (run) => run.result.byType['DestinationProposed'] ?? 1,
    () => cpuDuring(() => load({ ...plan, clients: 32, proposals: LOAD, runId: 'load32' })),
  );
  const load32 = loaded.result.result;
  // Read now, before the next run: the recent list (and so PROJECTED and the page's steps) keeps only the newest 50.
  say(`reading the journeys of the ${load32.correlationIds.length} proposals of the 32-client run`);
  const journeys = await readJourneys(stack.graphqlUrl, load32.correlationIds);
  const hops = hopFigures(journeys);

  say(`${LOAD} proposals from 256 clients`);
  await stack.settled();
  const overload = await cpuDuring(() => load({ ...plan, clients: 256, proposals: LOAD, runId: 'load256' }));
  const load256 = overload.result;
  await stack.settled();

  const p = (sorted: number[], at: number) => percentile(sorted, at).toFixed(1);
  const cores = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(0)} %`);
  const answers = (report: LoadReport) =>
    Object.entries(report.byType)
      .map(([type, n]) => `${type} ${n}`)
      .join(', ') + (Object.keys(report.errors).length ? `; errors ${JSON.stringify(report.errors)}` : '');
  const callRows = (perMutation: Record<string, number>) =>
    Object.entries(perMutation)
      .sort(([, a], [, b]) => b - a)
      .map(([operation, calls]) => `${operation} ${calls.toFixed(2)}`)
      .join(', ');
  const seqP50 = percentile(sequentialMs, 50);
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${new Date().toISOString()} by \`npm run bench\` on ${cpus().length} cores, Node ${process.version}: one local stack (DynamoDB Local, Redis, the local bus, the site) in this process; load generators in processes of their own. Mutation deadline ${MUTATION_DEADLINE_MS} ms.`,
    'Compare ratios across runs: the machine is shared, so milliseconds are only for scale.',
    '',
    '## The answer against its floor',
    '',
    `Component floor, each part alone on the same DynamoDB Local and Redis, one sample of each part beside each mutation, before it in every other pair (p50 of ${SAMPLES}; ${PACING_MS} ms pause before each pair): put ${floor.putMs.toFixed(1)}, stream lag ${floor.streamLagMs.toFixed(1)}, transaction of 3 items ${floor.transactMs.toFixed(1)}, Redis round trip ${floor.redisRoundTripMs.toFixed(2)}, consistent get ${floor.consistentGetMs.toFixed(1)} ms.`,
    `The floor as the throughput issue defines it (put + stream lag + transaction + stream lag + put + Redis + consistent get) is **${floor.threeHopMs.toFixed(1)} ms**; the one-hop path's own floor (put + stream lag + transaction + Redis) is ${floor.oneHopMs.toFixed(1)} ms.`,
    '',
    '| what | p50 ms | p99 ms | p50 / floor | p99 / floor |',
    '|---|---|---|---|---|',
    `| \`proposeDestination\` PROPOSED, one at a time (command → stream → decide → Redis → answer) | ${p(sequentialMs, 50)} | ${p(sequentialMs, 99)} | **${(seqP50 / floor.threeHopMs).toFixed(2)}×** (${(seqP50 / floor.oneHopMs).toFixed(2)}× one-hop floor) | ${(percentile(sequentialMs, 99) / floor.threeHopMs).toFixed(2)}× |`,
    `| \`proposeDestination\` LOCATION_CHECKED, one at a time (+ fan-out → bus → validate-geolocation) | ${p(checked, 50)} | ${p(checked, 99)} | ${(percentile(checked, 50) / floor.threeHopMs).toFixed(2)}× | ${(percentile(checked, 99) / floor.threeHopMs).toFixed(2)}× |`,
    `| query \`recentDestinations(limit: 5)\` (1 GetItem) | ${p(query, 50)} | ${p(query, 99)} | | |`,
    '',
    '## Throughput',
    '',
    '| run | mutations/s | answers | hung | broken | p50 / p99 / max ms | CPU: stack (Node) | CPU: DynamoDB Local (JVM) | CPU: clients |',
    '|---|---|---|---|---|---|---|---|---|',
    ...(
      [
        ['32 clients', load32, loaded.result],
        ['256 clients', load256, overload],
      ] as const
    ).map(([title, r, c]) => {
      return `| ${title}, ${r.proposals} proposals | **${r.perSecond.toFixed(0)}** | ${answers(r)} | ${r.hung} | ${r.broken} | ${r.latencyMs.p50.toFixed(0)} / ${r.latencyMs.p99.toFixed(0)} / ${r.latencyMs.max.toFixed(0)} | ${cores(c.node)} | ${cores(c.jvm)} | ${cores(r.cpuSeconds / c.wallSeconds)} |`;
    }),
    '',
    `256 clients: ${(((load256.byType['DestinationProposed'] ?? 0) / load256.proposals) * 100).toFixed(1)} % answered DestinationProposed within the deadline (the rest CommandPending at the deadline, or an error).`,
    '',
    '## Where the time goes: hop by hop, from the journeys',
    '',
    `The journeys (\`commandStatus { journey }\`, what the stores hold) of the 32-client run's ${load32.correlationIds.length} proposals, read once the stack had settled after it: ${journeys.length} journeys; answers ${Object.entries(
      answersByHow(journeys),
    )
      .map(([how, n]) => `${how} ${n}`)
      .join(
        ', ',
      )}. Each step's time after RECEIVED, and its own hop (from the step that caused it). One clock: every function of the local stack runs in this process.`,
    `PROJECTED and the page's steps are known only for destinations still in the recent list when read (the newest ${RECENT_CAPACITY}; under load most are let go within a batch or two), so they come from the run's last batches: read their counts.`,
    '',
    '| step | from RECEIVED p50 / p99 ms | hop | hop p50 / p99 ms | journeys |',
    '|---|---|---|---|---|',
    ...hops.map(
      (hop) =>
        `| ${hop.step} | ${hop.sinceReceived.p50.toFixed(0)} / ${hop.sinceReceived.p99.toFixed(0)} | ${hop.from} → ${hop.step}: ${hop.what} | ${hop.hop.p50.toFixed(0)} / ${hop.hop.p99.toFixed(0)} | ${hop.count} |`,
    ),
    '',
    '## DynamoDB calls per accepted mutation (stream polling included)',
    '',
    "Counted by an SDK middleware on the stack's DynamoDB and DynamoDB Streams clients, from the first request until the stack settled: the API's write, the decider, the geolocation check, the recent list, the homepage renders and every GetRecords.",
    '',
    '| run | calls per accepted mutation | by operation |',
    '|---|---|---|',
    `| one at a time, ${SAMPLES} × PROPOSED (idle polling between them included) | **${sequential.total.toFixed(2)}** | ${callRows(sequential.perMutation)} |`,
    `| 32 clients, ${LOAD} × PROPOSED | **${loaded.total.toFixed(2)}** | ${callRows(loaded.perMutation)} |`,
    '',
    '## The idle stack',
    '',
    `Over ${IDLE_SECONDS} s with no requests: the stack's Node process used ${cores(idle.node)} of a core, DynamoDB Local's JVM ${cores(idle.jvm)}.`,
    '',
  ];
  writeFileSync(new URL('./results.md', import.meta.url), lines.join('\n'));
  process.stdout.write(lines.join('\n'));
} finally {
  await stack.stop();
}
