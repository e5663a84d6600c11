/**
 * Where a mutation's time goes, from the journeys the system stores (`commandStatus { journey }`):
 * for each step, how long after RECEIVED it came, and how long its own hop took (from the step
 * that caused it), p50 and p99 over the journeys that reached it.
 */
import { createClient, type JourneyStep, type JourneyStepName } from '@visitplannr/sdk';
import { percentile } from './stats.js';

/**
 * Each step after RECEIVED, with the step its hop starts from (what caused it). Each function
 * stamps its step as it decides, just before its write, so a hop holds the write of the step
 * before it.
 */
export const HOPS: readonly {
  readonly step: JourneyStepName;
  readonly from: JourneyStepName;
  readonly what: string;
}[] = [
  { step: 'COMMAND_WRITTEN', from: 'RECEIVED', what: 'validation, subscribe (acknowledged)' },
  { step: 'DECIDED', from: 'COMMAND_WRITTEN', what: 'the conditional put, the event stream, decide to its decision' },
  { step: 'ANSWERED', from: 'DECIDED', what: 'decide’s transaction, the notification, the answer recorded' },
  {
    step: 'LOCATION_CHECKED',
    from: 'DECIDED',
    what: 'decide’s transaction, the fan-out, the bus, validate-geolocation to its decision',
  },
  {
    step: 'PROJECTED',
    from: 'DECIDED',
    what: 'decide’s transaction, the read-model stream, the batching window, project-recent’s reads',
  },
  {
    step: 'PAGE_PUBLISHED',
    from: 'PROJECTED',
    what: 'the list’s write, the read-model stream, the batching window, the render',
  },
  { step: 'CDN_INVALIDATED', from: 'PAGE_PUBLISHED', what: 'the S3 put, its notification, invalidate-cdn' },
];

export interface HopFigures {
  readonly step: JourneyStepName;
  readonly from: JourneyStepName;
  readonly what: string;
  /** Journeys that reached the step (and its hop's start). */
  readonly count: number;
  readonly sinceReceived: { readonly p50: number; readonly p99: number };
  readonly hop: { readonly p50: number; readonly p99: number };
}

export function hopFigures(journeys: readonly (readonly JourneyStep[])[]): HopFigures[] {
  return HOPS.map(({ step, from, what }) => {
    const since: number[] = [];
    const hop: number[] = [];
    for (const journey of journeys) {
      const reached = journey.find((candidate) => candidate.step === step);
      const start = journey.find((candidate) => candidate.step === from);
      if (!reached || !start) continue;
      since.push(reached.sinceReceivedMs);
      hop.push(reached.sinceReceivedMs - start.sinceReceivedMs);
    }
    since.sort((a, b) => a - b);
    hop.sort((a, b) => a - b);
    const figures = (sorted: number[]) => ({ p50: percentile(sorted, 50), p99: percentile(sorted, 99) });
    return { step, from, what, count: since.length, sinceReceived: figures(since), hop: figures(hop) };
  });
}

/** How many journeys were answered each way. */
export function answersByHow(journeys: readonly (readonly JourneyStep[])[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const journey of journeys) {
    const how = journey.find((step) => step.step === 'ANSWERED')?.how ?? 'not recorded';
    counts[how] = (counts[how] ?? 0) + 1;
  }
  return counts;
}

/** The journeys of these commands, `concurrency` queries at a time, through the SDK. */
export async function readJourneys(
  graphqlUrl: string,
  correlationIds: readonly string[],
  concurrency = 8,
): Promise<JourneyStep[][]> {
  const client = createClient({ url: graphqlUrl, timeoutMs: 30_000 });
  const journeys: JourneyStep[][] = [];
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < correlationIds.length) {
      const status = await client.commandJourney(correlationIds[next++]!);
      if (status) journeys.push(status.journey);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, reader));
  return journeys;
}
