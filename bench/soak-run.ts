/**
 * The soak: many proposals from many concurrent clients against a running local stack,
 * then an audit of what the tables hold. Shared by `npm run soak` (1000 proposals, 64
 * clients, figures to bench/soak-results.md) and a scaled-down run inside `npm test`.
 *
 * Definitions: a request is **answered** when an HTTP response with a GraphQL body
 * arrives, **hung** when none arrives within `requestTimeoutMs`, **failed** when the
 * connection breaks. An **accepted** proposal (DestinationProposed, or CommandPending
 * whose commandStatus is ACCEPTED after the stack settles) is **lost** unless the event
 * table holds exactly one DestinationProposed and one CommandAccepted for it and the
 * read-model table exactly one destination item. A **duplicate** is any second event
 * for the same stream position or event id, or a second destination for one command.
 * The **homepage** is index.html as the stack's site serves it once everything settled: as
 * far as it lists (the newest 50), every accepted, visitable destination appears exactly
 * once, none newer than the oldest listed is missing, and nothing else appears.
 */
import type { Destination } from '../src/domain/destination.js';
import { correlationIdForIdempotencyKey } from '../src/domain/streams.js';
import { createDocumentClient, createDynamoDBClient } from '../src/shell/dynamodb/clients.js';
import { scanTable } from '../src/shell/dynamodb/scan.js';
import { EMULATOR_AWS } from '../src/shell/dynamodb/clients.js';
import type { TableNames } from '../local/create-tables.js';

export interface SoakOptions {
  readonly graphqlUrl: string;
  /** The published homepage (LocalStack.homepageUrl). */
  readonly homepageUrl: string;
  readonly dynamodbEndpoint: string;
  readonly tables: TableNames;
  /** Resolves once the stack has handled everything (LocalStack.settled). */
  readonly settled: () => Promise<void>;
  readonly proposals: number;
  readonly clients: number;
  readonly requestTimeoutMs: number;
  /**
   * Every n-th proposal is also sent a second time at once with the same idempotency key, as a
   * retrying client would.
   */
  readonly resendEvery?: number;
  readonly runId?: string;
  /**
   * Error codes that are an answer under injected faults rather than a failure:
   * HANDLER_FAILED (the command is retried and must still end accepted, once) and
   * SERVICE_UNAVAILABLE (nothing was written, or the command ends accepted, once).
   */
  readonly tolerate?: readonly ('HANDLER_FAILED' | 'SERVICE_UNAVAILABLE')[];
  /**
   * Called with the number of requests answered so far, after each one, and how many there will be
   * (drives fault scripts and the progress display).
   */
  readonly onProgress?: (answered: number, requests: number) => void;
}

export interface SoakReport {
  readonly proposals: number;
  readonly requests: number;
  readonly clients: number;
  readonly answered: number;
  readonly hung: number;
  readonly failed: number;
  readonly byType: Record<string, number>;
  readonly errors: Record<string, number>;
  readonly accepted: number;
  readonly rejected: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly resentAnsweredAlike: number;
  readonly resent: number;
  /** Proposals whose every answer was a tolerated SERVICE_UNAVAILABLE (the client would retry). */
  readonly refusedRetryable: number;
  readonly homepage: {
    readonly listed: number;
    readonly duplicated: number;
    readonly missing: number;
    readonly unknown: number;
  };
  readonly latencyMs: { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };
  readonly wallMs: number;
  readonly perSecond: number;
  readonly problems: readonly string[];
}

const PROPOSE = `mutation($input: ProposeDestinationInput!) { proposeDestination(input: $input) {
  __typename ... on DestinationProposed { correlationId destination { id } } ... on ProposalRejected { correlationId } ... on CommandPending { correlationId } } }`;

/**
 * A land point in most proposals, open sea in some (the location is rejected later), an invalid
 * latitude in a few (rejected at once).
 */
export function inputFor(runId: string, index: number) {
  const base = { name: `Soak ${runId} #${index}`, idempotencyKey: `soak-${runId}-${index}` };
  if (index % 25 === 7) return { ...base, latitude: 95, longitude: 0 };
  if (index % 10 === 3) return { ...base, latitude: 30 + (index % 7) * 0.1, longitude: -40 };
  return { ...base, latitude: 44 + (index % 9), longitude: 2 + (index % 11) };
}

interface Outcome {
  readonly index: number;
  readonly ms: number;
  readonly status: 'answered' | 'hung' | 'failed';
  readonly typename?: string;
  readonly correlationId?: string;
  readonly destinationId?: string;
  readonly errorCode?: string;
}

async function send(url: string, index: number, input: Record<string, unknown>, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: PROPOSE, variables: { input } }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as {
      data?: {
        proposeDestination?: { __typename: string; correlationId: string; destination?: { id: string } };
      } | null;
      errors?: { extensions?: { code?: string; correlationId?: string } }[];
    };
    const errorCorrelationId = body.errors?.[0]?.extensions?.correlationId;
    const result = body.data?.proposeDestination;
    return {
      index,
      ms: performance.now() - started,
      status: 'answered',
      ...(result
        ? {
            typename: String(result.__typename),
            correlationId: String(result.correlationId),
            ...(result.destination ? { destinationId: String(result.destination.id) } : {}),
          }
        : {}),
      ...(body.errors?.length
        ? {
            errorCode: String(body.errors[0]?.extensions?.code ?? 'UNKNOWN'),
            ...(errorCorrelationId ? { correlationId: errorCorrelationId } : {}),
          }
        : {}),
    };
  } catch (error) {
    const hung = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { index, ms: performance.now() - started, status: hung ? 'hung' : 'failed' };
  }
}

/** An event-table item, as far as the audit reads it. */
type StoredEvent = {
  readonly streamId: string;
  readonly version: number;
  readonly eventId: string;
  readonly correlationId: string;
  readonly type: string;
  readonly kind: string;
  readonly data?: { readonly destinationId?: string };
};

/** A read-model item, as far as the audit reads it: `destination` is on the destination# items. */
type StoredReadModel = { readonly pk: string; readonly destination?: Destination };

async function scan<T extends Record<string, unknown>>(endpoint: string, tableName: string): Promise<T[]> {
  const client = createDynamoDBClient({ endpoint, ...EMULATOR_AWS });
  try {
    return (await scanTable(createDocumentClient(client), tableName)) as T[];
  } finally {
    client.destroy();
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const runId = options.runId ?? Date.now().toString(36);
  const resendEvery = options.resendEvery ?? 10;
  const outcomes: Outcome[] = [];
  const resends: [Outcome, Outcome][] = [];
  let nextIndex = 0;
  const started = performance.now();

  // 1. Load: `clients` loops, each taking the next proposal until none is left.
  await Promise.all(
    Array.from({ length: options.clients }, async () => {
      for (let index = nextIndex++; index < options.proposals; index = nextIndex++) {
        const input = inputFor(runId, index);
        if (index % resendEvery === 0) {
          const pair = await Promise.all([
            send(options.graphqlUrl, index, input, options.requestTimeoutMs),
            send(options.graphqlUrl, index, input, options.requestTimeoutMs),
          ]);
          resends.push(pair);
          outcomes.push(...pair);
        } else outcomes.push(await send(options.graphqlUrl, index, input, options.requestTimeoutMs));
        options.onProgress?.(outcomes.length, options.proposals + Math.ceil(options.proposals / resendEvery));
      }
    }),
  );
  const wallMs = performance.now() - started;

  // 2. Audit, once every handler has finished.
  await options.settled();
  const [events, readModels] = await Promise.all([
    scan<StoredEvent>(options.dynamodbEndpoint, options.tables.events),
    scan<StoredReadModel>(options.dynamodbEndpoint, options.tables.readModels),
  ]);
  const count = (keys: string[]) =>
    keys.reduce((counts, key) => counts.set(key, (counts.get(key) ?? 0) + 1), new Map<string, number>());
  const eventsByCorrelation = new Map<string, StoredEvent[]>();
  for (const item of events)
    eventsByCorrelation.set(item['correlationId'], [...(eventsByCorrelation.get(item['correlationId']) ?? []), item]);
  const destinationItems = count(
    readModels.filter((item) => String(item['pk']).startsWith('destination#')).map((item) => String(item['pk'])),
  );

  const problems: string[] = [];
  const tolerated = new Set<string>(options.tolerate ?? []);
  const acceptedDestinations: string[] = [];
  let accepted = 0;
  let rejected = 0;
  let refusedRetryable = 0;
  let lost = 0;
  // Per proposal: what its answers said, against what its command (id derived from the idempotency
  // key) left in the tables.
  const answersByIndex = new Map<number, Outcome[]>();
  for (const outcome of outcomes)
    answersByIndex.set(outcome.index, [...(answersByIndex.get(outcome.index) ?? []), outcome]);
  for (const [index, answers] of answersByIndex) {
    const records =
      eventsByCorrelation.get(correlationIdForIdempotencyKey(inputFor(runId, index).idempotencyKey)) ?? [];
    const proposed = records.filter((item) => item['type'] === 'DestinationProposed');
    const outcome = records.filter((item) => item['kind'] === 'outcome');
    const typenames = new Set(answers.map((answer) => answer.typename ?? answer.errorCode ?? answer.status));
    if (typenames.has('ProposalRejected')) {
      rejected++;
      if (typenames.size > 1) problems.push(`#${index}: rejected and also ${[...typenames].join(', ')}`);
      if (records.length > 0) problems.push(`#${index}: rejected, yet ${records.length} records stored`);
      continue;
    }
    if (
      [...typenames].every((typename) => typename === 'SERVICE_UNAVAILABLE') &&
      tolerated.has('SERVICE_UNAVAILABLE') &&
      records.length === 0
    ) {
      refusedRetryable++;
      continue;
    }
    const expectAccepted = [...typenames].every(
      (typename) => ['DestinationProposed', 'CommandPending'].includes(typename) || tolerated.has(typename),
    );
    if (!expectAccepted) continue; // hung, failed or untolerated errors are reported below
    if (outcome[0]?.['type'] !== 'CommandAccepted') {
      problems.push(`#${index}: answered ${[...typenames].join(', ')}, then ${outcome[0]?.['type'] ?? 'no outcome'}`);
      continue;
    }
    accepted++;
    const named = answers.find((answer) => answer.destinationId)?.destinationId;
    const destinationId = named ?? proposed[0]?.['data']?.destinationId;
    acceptedDestinations.push(String(destinationId));
    const fine =
      proposed.length === 1 &&
      outcome.length === 1 &&
      destinationItems.get(`destination#${destinationId}`) === 1 &&
      proposed[0]?.['data']?.destinationId === destinationId;
    if (!fine) {
      lost++;
      problems.push(
        `#${index}: ${proposed.length} DestinationProposed, ${outcome.length} outcomes, ${destinationItems.get(`destination#${destinationId}`) ?? 0} read models`,
      );
    }
  }
  const positions = count(events.map((item) => `${item['streamId']}#${item['version']}`));
  const eventIds = count(events.map((item) => String(item['eventId'])));
  const proposedPerCommand = count(
    events.filter((item) => item['type'] === 'DestinationProposed').map((item) => String(item['correlationId'])),
  );
  const duplicates =
    [...positions.values(), ...eventIds.values(), ...proposedPerCommand.values()].filter((n) => n > 1).length +
    [...destinationItems.values()].filter((n) => n > 1).length;
  if (duplicates > 0) problems.push(`${duplicates} duplicated events or read models`);
  // Alike: the same command, and the same destination wherever both answers name one (one may
  // be CommandPending); an answer without a command (a tolerated SERVICE_UNAVAILABLE) names none.
  const sameOrUnnamed = (a?: string, b?: string) => !a || !b || a === b;
  const answeredAlike = resends.filter(
    ([a, b]) =>
      (a.correlationId ?? b.correlationId) !== undefined &&
      sameOrUnnamed(a.correlationId, b.correlationId) &&
      sameOrUnnamed(a.destinationId, b.destinationId),
  ).length;
  if (answeredAlike !== resends.length)
    problems.push(`${resends.length - answeredAlike} resent proposals answered differently`);

  const html = await (
    await fetch(options.homepageUrl, { signal: AbortSignal.timeout(options.requestTimeoutMs) })
  ).text();
  const homepage = auditHomepage(html, readModels, new Set(acceptedDestinations));
  if (homepage.duplicated + homepage.missing + homepage.unknown > 0)
    problems.push(`homepage: ${JSON.stringify(homepage)}`);

  const answered = outcomes.filter((outcome) => outcome.status === 'answered');
  const hung = outcomes.filter((outcome) => outcome.status === 'hung').length;
  const failed = outcomes.filter((outcome) => outcome.status === 'failed').length;
  if (hung > 0) problems.push(`${hung} requests hung`);
  if (failed > 0) problems.push(`${failed} requests failed without an answer`);
  const errors = Object.fromEntries(
    count(answered.flatMap((outcome) => (outcome.errorCode ? [outcome.errorCode] : []))),
  );
  const untolerated = Object.keys(errors).filter((code) => !tolerated.has(code));
  if (untolerated.length > 0) problems.push(`errors: ${JSON.stringify(errors)}`);
  const sorted = answered.map((outcome) => outcome.ms).sort((a, b) => a - b);
  return {
    proposals: options.proposals,
    requests: outcomes.length,
    clients: options.clients,
    answered: answered.length,
    hung,
    failed,
    byType: Object.fromEntries(count(answered.flatMap((outcome) => (outcome.typename ? [outcome.typename] : [])))),
    errors,
    accepted,
    rejected,
    lost,
    duplicates,
    resent: resends.length,
    resentAnsweredAlike: answeredAlike,
    refusedRetryable,
    homepage,
    latencyMs: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? 0,
    },
    wallMs,
    perSecond: (outcomes.length / wallMs) * 1000,
    problems,
  };
}

const newerFirst = (a: Destination, b: Destination): number =>
  a.proposedAt === b.proposedAt ? (a.id < b.id ? 1 : -1) : a.proposedAt < b.proposedAt ? 1 : -1;

function auditHomepage(html: string, readModels: StoredReadModel[], accepted: ReadonlySet<string>) {
  const listed = [...html.matchAll(/<li class="destination" data-id="([^"]+)"/g)].map((match) => match[1] ?? '');
  const listedOnce = new Set(listed);
  const visitable = readModels
    .filter(
      (item) =>
        String(item['pk']).startsWith('destination#') &&
        accepted.has(item['destination']?.id ?? '') &&
        item['destination']?.status !== 'LOCATION_REJECTED',
    )
    .map((item) => item['destination'] as Destination)
    .sort(newerFirst);
  // Everything at least as new as the oldest listed destination must be on the page.
  const oldestListed = visitable.reduce(
    (last, destination, index) => (listedOnce.has(destination.id) ? index : last),
    -1,
  );
  const shouldList = visitable.slice(0, oldestListed + 1);
  return {
    listed: listed.length,
    duplicated: listed.length - listedOnce.size,
    missing: shouldList.filter((destination) => !listedOnce.has(destination.id)).length,
    unknown: [...listedOnce].filter((id) => !visitable.some((destination) => destination.id === id)).length,
  };
}
