/**
 * `npm run soak`: a fresh local stack (its own DynamoDB Local and a private redis-server),
 * three runs audited by bench/soak-run.ts, figures to bench/soak-results.md; exits 1 when
 * any check fails.
 * 1. load: 1000 proposals from 64 concurrent clients (SOAK_PROPOSALS, SOAK_CLIENTS);
 * 2. Redis outage: 300 proposals from 32 clients; Redis is stopped once a third are
 *    answered and restarted on the same port once two thirds are;
 * 3. DynamoDB faults: 300 proposals from 32 clients while the stack's DynamoDB client
 *    throttles, fails and loses responses (injected at the SDK client).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { type RunningRedis, startRedisServer } from '../local/redis.js';
import { startLocalStack } from '../local/stack.js';
import { createProgress } from '../src/shell/ops/progress.js';
import { runSoak, type SoakOptions, type SoakReport } from './soak-run.js';

const proposals = Number(process.env['SOAK_PROPOSALS'] ?? 1000);
const clients = Number(process.env['SOAK_CLIENTS'] ?? 64);
const MUTATION_DEADLINE_MS = 5000;
// A request is hung once it outlives the mutation deadline by far: the API must have answered by then.
const REQUEST_TIMEOUT_MS = 3 * MUTATION_DEADLINE_MS;

let redis: RunningRedis = await startRedisServer();
const redisPort = Number(new URL(redis.url).port);
const stack = await startLocalStack({
  port: 0,
  logLevel: 'SILENT',
  namespace: `soak-${process.pid}`,
  redisUrl: redis.url,
  mutationDeadlineMs: MUTATION_DEADLINE_MS,
});
const base: Omit<SoakOptions, 'proposals' | 'clients'> = {
  graphqlUrl: stack.graphqlUrl,
  homepageUrl: stack.homepageUrl,
  dynamodbEndpoint: stack.dynamodbEndpoint,
  tables: stack.tables,
  settled: () => stack.settled(),
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
};

const runs: { title: string; report: SoakReport }[] = [];
try {
  runs.push({
    title: `load: ${proposals} proposals, ${clients} clients`,
    report: await runSoak({
      ...base,
      proposals,
      clients,
      runId: 'load',
      onProgress: createProgress('soak: load').update,
    }),
  });

  // Redis away for the middle third of the run; nobody tells the stack.
  let outage: Promise<void> = Promise.resolve();
  let phase = 0;
  const outageProgress = createProgress('soak: Redis outage');
  const outageRun = await runSoak({
    ...base,
    proposals: 300,
    clients: 32,
    runId: 'redis',
    onProgress: (answered, requests) => {
      outageProgress.update(answered, requests);
      if (phase === 0 && answered >= 110) {
        phase = 1;
        outage = redis.stop();
      } else if (phase === 1 && answered >= 220) {
        phase = 2;
        outage = outage.then(async () => void (redis = await startRedisServer({ port: redisPort })));
      }
    },
  });
  await outage;
  runs.push({ title: 'Redis stopped after 1/3, restarted after 2/3 (300 proposals, 32 clients)', report: outageRun });

  // Counted in calls: the decider now writes a batch's commands in one transaction (≈ 0.25 transactions per
  // mutation under load, where each command had its own before), so one fault reaches ~8 commands and a
  // count of 40 throttled calls would keep the table throttled ~8 times as long as it used to. These
  // counts keep the drill's length; every faulted call still fails all of its SDK attempts.
  stack.dynamodbFaults.inject({ operation: 'TransactWriteItems', fault: 'throttling', count: 12 });
  stack.dynamodbFaults.inject({ operation: 'TransactWriteItems', fault: 'internal-error', count: 8 });
  stack.dynamodbFaults.inject({ operation: 'TransactWriteItems', fault: 'lost-response', count: 10 });
  stack.dynamodbFaults.inject({ operation: 'PutItem', fault: 'internal-error', count: 12 });
  const faultRun = await runSoak({
    ...base,
    proposals: 300,
    clients: 32,
    runId: 'dynamodb',
    tolerate: ['HANDLER_FAILED', 'SERVICE_UNAVAILABLE'],
    onProgress: createProgress('soak: DynamoDB faults').update,
  });
  runs.push({
    title: `DynamoDB faults injected: ${JSON.stringify(stack.dynamodbFaults.raised)} (300 proposals, 32 clients)`,
    report: faultRun,
  });
} finally {
  await stack.stop();
  await redis.stop();
}

const cells = (value: (report: SoakReport) => string | number) =>
  `| ${runs.map(({ report }) => value(report)).join(' | ')} |`;
const row = (what: string, value: (report: SoakReport) => string | number) => `| ${what} ${cells(value)}`;
const failed = runs.filter(({ report }) => report.problems.length > 0);
const lines = [
  '# Soak results',
  '',
  `Measured ${new Date().toISOString()} by \`npm run soak\` on ${cpus().length} cores, Node ${process.version}: one fresh local stack (DynamoDB Local, a private redis-server, the local bus, the site), mutation deadline ${MUTATION_DEADLINE_MS} ms; a request counts as hung after ${REQUEST_TIMEOUT_MS} ms.`,
  'In every run, each 10th proposal is sent twice at once with the same idempotency key (a retrying client); 1 in 25 has an invalid latitude (rejected at once, nothing stored); 1 in 10 of the rest lies in the open sea (accepted, location rejected later).',
  '',
  ...runs.map(({ title }, i) => `${i + 1}. ${title}`),
  '',
  `| check | ${runs.map((_, i) => `run ${i + 1}`).join(' | ')} |`,
  `|---|${runs.map(() => '---').join('|')}|`,
  row('proposals / HTTP requests / clients', (r) => `${r.proposals} / ${r.requests} / ${r.clients}`),
  row('answered', (r) => `${r.answered} of ${r.requests}`),
  row('**hung** (no answer in time)', (r) => r.hung),
  row('failed (connection broke)', (r) => r.failed),
  row('answers by type', (r) =>
    Object.entries(r.byType)
      .map(([type, n]) => `${type} ${n}`)
      .join(', '),
  ),
  row('typed errors', (r) =>
    Object.keys(r.errors).length === 0
      ? 'none'
      : Object.entries(r.errors)
          .map(([code, n]) => `${code} ${n}`)
          .join(', '),
  ),
  row('accepted proposals (distinct commands)', (r) => r.accepted),
  row('rejected at once (nothing stored)', (r) => r.rejected),
  row('refused as busy, nothing stored (client retries)', (r) => r.refusedRetryable),
  row('**lost** (accepted, not exactly once in event table + read models)', (r) => r.lost),
  row('**duplicated** events or read models', (r) => r.duplicates),
  row('resent proposals answered alike', (r) => `${r.resentAnsweredAlike} of ${r.resent}`),
  row(
    'homepage: listed / twice / newer missing / not accepted',
    (r) => `${r.homepage.listed} / ${r.homepage.duplicated} / ${r.homepage.missing} / ${r.homepage.unknown}`,
  ),
  row(
    'latency p50 / p95 / p99 / max (ms)',
    (r) =>
      `${r.latencyMs.p50.toFixed(0)} / ${r.latencyMs.p95.toFixed(0)} / ${r.latencyMs.p99.toFixed(0)} / ${r.latencyMs.max.toFixed(0)}`,
  ),
  row('wall time / throughput', (r) => `${(r.wallMs / 1000).toFixed(1)} s / ${r.perSecond.toFixed(1)} req/s`),
  row('verdict', (r) => (r.problems.length === 0 ? '**pass**' : `**FAIL**: ${r.problems.slice(0, 5).join('; ')}`)),
  '',
  'Definitions (bench/soak-run.ts): a request is answered when an HTTP response with a GraphQL body arrives. Each proposal is audited through its command (its id derives from the idempotency key): an accepted one (DestinationProposed, CommandPending, or under faults HANDLER_FAILED, ending CommandAccepted) must leave exactly one `DestinationProposed` (for the destination the answer named) and one `CommandAccepted` in the event table and one destination item in the read-model table; a rejected one nothing; one refused as busy (SERVICE_UNAVAILABLE) nothing, or else exactly once. No stream position or event id may appear twice.',
  'The homepage is index.html fetched from the stack’s site bucket once everything settled: it lists the newest 50 visitable destinations; each accepted one at most once, none that was not accepted, none newer than the oldest listed missing.',
  'Latency includes queueing on the 2-core machine that also runs DynamoDB Local and Redis; the mutation deadline counts from when the resolver starts, so answers can arrive later than 5 s under 64 clients.',
  '',
];
writeFileSync(new URL('./soak-results.md', import.meta.url), lines.join('\n'));
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(failed.length === 0 ? 0 : 1);
