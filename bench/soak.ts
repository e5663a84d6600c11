/**
 * `npm run soak`: 1000 proposals from 64 concurrent clients against a fresh local stack
 * (its own DynamoDB Local and Redis), then the audit of bench/soak-run.ts. Writes
 * bench/soak-results.md and exits 1 when any check fails. SOAK_PROPOSALS and
 * SOAK_CLIENTS change the load.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { startLocalStack } from '../src/shell/local/stack.js';
import { runSoak, type SoakReport } from './soak-run.js';

const proposals = Number(process.env['SOAK_PROPOSALS'] ?? 1000);
const clients = Number(process.env['SOAK_CLIENTS'] ?? 64);
const MUTATION_DEADLINE_MS = 5000;
// A request is hung once it outlives the mutation deadline by far: the API must have answered by then.
const REQUEST_TIMEOUT_MS = 3 * MUTATION_DEADLINE_MS;

const stack = await startLocalStack({ port: 0, logLevel: 'ERROR', namespace: `soak-${process.pid}`, mutationDeadlineMs: MUTATION_DEADLINE_MS });
let report: SoakReport;
try {
  report = await runSoak({ graphqlUrl: stack.graphqlUrl, homepageUrl: stack.homepageUrl, dynamodbEndpoint: stack.dynamodbEndpoint, tables: stack.tables, settled: stack.settled, proposals, clients, requestTimeoutMs: REQUEST_TIMEOUT_MS });
} finally {
  await stack.stop();
}

const row = (what: string, value: string | number) => `| ${what} | ${value} |`;
const lines = [
  '# Soak results',
  '',
  `Measured ${new Date().toISOString()} by \`npm run soak\` on ${cpus().length} cores, Node ${process.version}: a fresh local stack (DynamoDB Local, a private Redis, the local bus), mutation deadline ${MUTATION_DEADLINE_MS} ms; a request counts as hung after ${REQUEST_TIMEOUT_MS} ms.`,
  `Every 10th proposal is sent twice at once with the same idempotency key (a retrying client); 1 in 25 has an invalid latitude (rejected at once, nothing stored); 1 in 10 of the rest lies in the open sea (accepted, location rejected later).`,
  '',
  '| check | result |',
  '|---|---|',
  row('proposals / HTTP requests / concurrent clients', `${report.proposals} / ${report.requests} / ${report.clients}`),
  row('answered', `${report.answered} of ${report.requests}`),
  row('**hung** (no answer in time)', report.hung),
  row('failed (connection broke)', report.failed),
  row('answers by type', Object.entries(report.byType).map(([type, n]) => `${type} ${n}`).join(', ')),
  row('GraphQL errors', Object.keys(report.errors).length === 0 ? 'none' : JSON.stringify(report.errors)),
  row('accepted proposals (distinct commands)', report.accepted),
  row('rejected at once (nothing stored)', report.rejected),
  row('**lost** (accepted, but not exactly once in the event table and the read models)', report.lost),
  row('**duplicated** events or read models', report.duplicates),
  row('resent proposals answered with the same command and destination', `${report.resentAnsweredAlike} of ${report.resent}`),
  row('homepage: destinations listed / listed twice / newer ones missing / not accepted', `${report.homepage.listed} / ${report.homepage.duplicated} / ${report.homepage.missing} / ${report.homepage.unknown}`),
  row('latency p50 / p95 / p99 / max (ms)', `${report.latencyMs.p50.toFixed(0)} / ${report.latencyMs.p95.toFixed(0)} / ${report.latencyMs.p99.toFixed(0)} / ${report.latencyMs.max.toFixed(0)}`),
  row('wall time / throughput', `${(report.wallMs / 1000).toFixed(1)} s / ${report.perSecond.toFixed(1)} requests/s`),
  row('verdict', report.problems.length === 0 ? '**pass**' : `**FAIL**: ${report.problems.slice(0, 10).join('; ')}`),
  '',
  'What "exactly once" checks: for every accepted command, the event table holds one `DestinationProposed` (for the destination the answer named) and one `CommandAccepted`, and the read-model table one destination item; no stream position or event id appears twice. The homepage is index.html fetched from the stack’s site bucket once everything settled: it lists the newest 50 visitable destinations, each accepted one at most once, none that was not accepted, and none newer than the oldest listed is missing.',
  '',
];
writeFileSync(new URL('./soak-results.md', import.meta.url), lines.join('\n'));
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(report.problems.length === 0 ? 0 : 1);
