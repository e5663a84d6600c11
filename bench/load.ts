/**
 * A load generator in a process of its own (so the stack's CPU is measured apart from the
 * clients'): `clients` concurrent HTTP clients send `proposals` proposeDestination
 * mutations between them, each request with a timeout, and report every answer.
 * Run by bench/run.ts through `fork`; the parent sends the plan and receives the report.
 */
import { percentile } from './stats.js';

export interface LoadPlan {
  readonly graphqlUrl: string;
  readonly clients: number;
  readonly proposals: number;
  readonly waitFor: 'PROPOSED' | 'LOCATION_CHECKED';
  /** A request with no answer by then is hung. */
  readonly requestTimeoutMs: number;
  readonly runId: string;
}

export interface LoadReport {
  readonly proposals: number;
  readonly wallMs: number;
  readonly perSecond: number;
  readonly byType: Record<string, number>;
  readonly errors: Record<string, number>;
  readonly hung: number;
  /** The connection broke (no HTTP answer). */
  readonly broken: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly cpuSeconds: number;
  /** The correlation id of every answered proposal (accepted or pending): whose journeys to read afterwards. */
  readonly correlationIds: readonly string[];
}

const PROPOSE =
  'mutation($input: ProposeDestinationInput!) { proposeDestination(input: $input) { __typename ... on DestinationProposed { correlationId } ... on CommandPending { correlationId } } }';

export async function runLoad(plan: LoadPlan): Promise<LoadReport> {
  const byType: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const latencies: number[] = [];
  const correlationIds: string[] = [];
  let hung = 0;
  let broken = 0;
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const client = async (): Promise<void> => {
    while (next < plan.proposals) {
      const index = next++;
      const sent = performance.now();
      try {
        const response = await fetch(plan.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: PROPOSE,
            variables: {
              input: {
                name: `Load ${plan.runId} #${index}`,
                latitude: 44 + (index % 9),
                longitude: 2 + (index % 11),
                waitFor: plan.waitFor,
              },
            },
          }),
          signal: AbortSignal.timeout(plan.requestTimeoutMs),
        });
        const body = (await response.json()) as {
          data?: { proposeDestination?: { __typename: string; correlationId?: string } };
          errors?: { extensions?: { code?: string } }[];
        };
        latencies.push(performance.now() - sent);
        const type = body.data?.proposeDestination?.__typename;
        if (type) byType[type] = (byType[type] ?? 0) + 1;
        const correlationId = body.data?.proposeDestination?.correlationId;
        if (correlationId) correlationIds.push(correlationId);
        for (const error of body.errors ?? [])
          errors[error.extensions?.code ?? 'UNKNOWN'] = (errors[error.extensions?.code ?? 'UNKNOWN'] ?? 0) + 1;
      } catch (error) {
        if (error instanceof DOMException && error.name === 'TimeoutError') hung++;
        else broken++;
      }
    }
  };
  await Promise.all(Array.from({ length: plan.clients }, client));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  return {
    proposals: plan.proposals,
    wallMs,
    perSecond: (plan.proposals / wallMs) * 1000,
    byType,
    errors,
    hung,
    broken,
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? Number.NaN },
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    correlationIds,
  };
}

// As a child process: one plan in, one report out.
if (process.send) {
  process.once('message', (plan: LoadPlan) => {
    void runLoad(plan).then((report) => {
      process.send?.(report);
      process.disconnect();
    });
  });
}
