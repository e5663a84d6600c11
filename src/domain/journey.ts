/**
 * The journey of a command: each step it took through the system, when, and which part took
 * it, built from what the system stores for its own work (never from logs), so it reads the same
 * locally and on AWS:
 *
 * - RECEIVED: the command record's `receivedAt` (the API stamps it when the request reaches the resolver);
 * - COMMAND_WRITTEN: the command's own `time`, taken just before its conditional write;
 * - DECIDED: its outcome's `time` (accepted, rejected, or failed once retries ran out);
 * - LOCATION_CHECKED: the geolocation event's `time`;
 * - PROJECTED: when project-recent listed the destination (the stamp in the recent list's item);
 * - ANSWERED: what the API recorded in the cache when it answered (how, and which step the answer told);
 * - PAGE_PUBLISHED / CDN_INVALIDATED: the first page rendered from that list version or a
 *   newer one, and the first CDN invalidation of such a page (the publication history).
 *
 * Steps come in causal order: a step never precedes what caused it, whatever the clocks of the
 * machines that stamped them say; among steps free to go next, the earlier one goes first.
 */
import type { Command, CommandOutcome } from './messages.js';
import { pageReached, type PublicationHistory } from './publications.js';
import type { Listing } from './recent-destinations.js';

export const journeyStepNames = [
  'RECEIVED',
  'COMMAND_WRITTEN',
  'DECIDED',
  'LOCATION_CHECKED',
  'PROJECTED',
  'ANSWERED',
  'PAGE_PUBLISHED',
  'CDN_INVALIDATED',
] as const;
export type JourneyStepName = (typeof journeyStepNames)[number];

/**
 * NOTIFICATION: told by a handler over the cache; DURABLE_OUTCOME: read from the stored outcome;
 * PENDING: answered CommandPending.
 */
export type AnswerHow = 'NOTIFICATION' | 'DURABLE_OUTCOME' | 'PENDING';

/** How the API answered a command's request, as it records it (in the cache, beside the notifications). */
export interface RecordedAnswer {
  readonly at: string;
  readonly how: AnswerHow;
  /**
   * The step whose result the answer told: DECIDED (proposed, rejected, or failed for good),
   * LOCATION_CHECKED, or null when it told none (pending, or a handler's failure notice).
   */
  readonly reflects: 'DECIDED' | 'LOCATION_CHECKED' | null;
}

export interface JourneyStep {
  readonly step: JourneyStepName;
  /** The function that took the step: `graphql` for the API's own. */
  readonly handler: string;
  readonly at: string;
  /** Milliseconds after RECEIVED (after COMMAND_WRITTEN for a command stored without `receivedAt`). */
  readonly sinceReceivedMs: number;
  /** ANSWERED only. */
  readonly how: AnswerHow | null;
}

/** What the stores hold about one command. */
export interface JourneyPieces {
  readonly command: Command;
  readonly outcome: CommandOutcome | null;
  /** The time of the destination's geolocation event, once checked. */
  readonly locationCheckedAt: string | null;
  /** The destination's stamp in the recent list, while it is listed. */
  readonly listing: Listing | null;
  readonly publications: PublicationHistory;
  readonly answer: RecordedAnswer | null;
}

interface Unordered {
  readonly step: JourneyStepName;
  readonly handler: string;
  readonly at: string;
  readonly how?: AnswerHow;
  /** Steps that must come first (when present). */
  readonly after: readonly JourneyStepName[];
}

export function journeyOf(pieces: JourneyPieces): JourneyStep[] {
  const { command, outcome, answer } = pieces;
  const steps: Unordered[] = [];
  if (command.receivedAt) steps.push({ step: 'RECEIVED', handler: 'graphql', at: command.receivedAt, after: [] });
  steps.push({ step: 'COMMAND_WRITTEN', handler: 'graphql', at: command.time, after: ['RECEIVED'] });
  if (outcome) {
    const handler = outcome.type === 'CommandFailed' ? outcome.data.handler : 'decide';
    steps.push({ step: 'DECIDED', handler, at: outcome.time, after: ['COMMAND_WRITTEN'] });
  }
  if (answer) {
    const after: JourneyStepName[] = ['COMMAND_WRITTEN', ...(answer.reflects ? [answer.reflects] : [])];
    steps.push({ step: 'ANSWERED', handler: 'graphql', at: answer.at, how: answer.how, after });
  }
  if (outcome?.type === 'CommandAccepted') steps.push(...afterAcceptance(pieces));
  return causalOrder(steps, command.receivedAt ?? command.time);
}

function afterAcceptance({ locationCheckedAt, listing, publications }: JourneyPieces): Unordered[] {
  const steps: Unordered[] = [];
  if (locationCheckedAt)
    steps.push({
      step: 'LOCATION_CHECKED',
      handler: 'validate-geolocation',
      at: locationCheckedAt,
      after: ['DECIDED'],
    });
  if (!listing) return steps;
  steps.push({ step: 'PROJECTED', handler: 'project-recent', at: listing.at, after: ['DECIDED'] });
  const page = pageReached(publications, listing.version);
  if (!page.known) return steps;
  steps.push({
    step: 'PAGE_PUBLISHED',
    handler: 'render-homepage',
    at: page.published.publishedAt,
    after: ['PROJECTED'],
  });
  if (page.invalidatedAt)
    steps.push({
      step: 'CDN_INVALIDATED',
      handler: 'invalidate-cdn',
      at: page.invalidatedAt,
      after: ['PAGE_PUBLISHED'],
    });
  return steps;
}

/**
 * A linear extension of the steps' causal order: repeatedly take, among the steps whose causes
 * are all taken, the earliest (ties in the enum's order). With one clock this is time order; with
 * machines whose clocks differ by a few milliseconds it still never puts an effect before its cause.
 */
function causalOrder(steps: readonly Unordered[], base: string): JourneyStep[] {
  const present = new Set(steps.map((step) => step.step));
  const taken = new Set<JourneyStepName>();
  const ordered: JourneyStep[] = [];
  const rank = (step: JourneyStepName) => journeyStepNames.indexOf(step);
  const baseMs = Date.parse(base);
  while (ordered.length < steps.length) {
    const ready = steps
      .filter((step) => !taken.has(step.step) && step.after.every((cause) => taken.has(cause) || !present.has(cause)))
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || rank(a.step) - rank(b.step));
    const next = ready[0];
    // Causes only point backwards in the enum's order, so some step is always ready.
    if (!next) throw new Error('journey steps form a cycle');
    taken.add(next.step);
    ordered.push({
      step: next.step,
      handler: next.handler,
      at: next.at,
      sinceReceivedMs: Date.parse(next.at) - baseMs,
      how: next.how ?? null,
    });
  }
  return ordered;
}

const HOWS: readonly AnswerHow[] = ['NOTIFICATION', 'DURABLE_OUTCOME', 'PENDING'];

/** A recorded answer read back from the cache, or null when it is not one (a value from another version, say). */
export function parseRecordedAnswer(value: unknown): RecordedAnswer | null {
  if (typeof value !== 'object' || value === null) return null;
  const { at, how, reflects } = value as Record<string, unknown>;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return null;
  if (!HOWS.includes(how as AnswerHow)) return null;
  if (reflects !== null && reflects !== 'DECIDED' && reflects !== 'LOCATION_CHECKED') return null;
  return { at, how: how as AnswerHow, reflects };
}
