import { describe, expect, it } from 'vitest';
import { journeyOf, type JourneyPieces, parseRecordedAnswer } from '../../src/domain/journey.js';
import type { CommandAccepted, CommandFailed, CommandRejected } from '../../src/domain/messages.js';
import { emptyPublications, type PublicationHistory } from '../../src/domain/publications.js';
import { buildCommand } from '../../src/resolvers/propose-destination.js';

/** 10:00:00 plus `ms` milliseconds, as the functions stamp it. */
const t = (ms: number): string => new Date(Date.UTC(2026, 10, 24, 10, 0, 0) + ms).toISOString();

const command = buildCommand({ name: 'Ghent', latitude: 51.05, longitude: 3.72 }, 'cid-journey', t(3), t(0));
const outcomeMeta = {
  streamId: command.streamId,
  version: 2,
  kind: 'outcome',
  eventId: 'o1',
  correlationId: command.correlationId,
  causationId: command.eventId,
} as const;
const accepted = (ms: number): CommandAccepted => ({
  ...outcomeMeta,
  time: t(ms),
  type: 'CommandAccepted',
  data: { destinationId: command.data.destinationId },
});
const rejected: CommandRejected = {
  ...outcomeMeta,
  time: t(20),
  type: 'CommandRejected',
  data: { problems: [{ field: 'name', code: 'REQUIRED', message: 'Give the destination a name.' }] },
};
const failed: CommandFailed = {
  ...outcomeMeta,
  time: t(900),
  type: 'CommandFailed',
  data: { handler: 'decide', reason: 'retries exhausted' },
};

const history = (
  publications: [version: number, etag: string, ms: number][],
  invalidations: Record<string, number> = {},
  forgottenThrough = 0,
): PublicationHistory => ({
  publications: publications.map(([projectionVersion, etag, ms]) => ({ etag, projectionVersion, publishedAt: t(ms) })),
  invalidations: Object.fromEntries(Object.entries(invalidations).map(([etag, ms]) => [etag, t(ms)])),
  forgottenThrough,
});

/** An accepted proposal that went all the way: the bench's and the homepage's common case. */
const travelled: JourneyPieces = {
  command,
  outcome: accepted(20),
  locationCheckedAt: t(60),
  listing: { at: t(1100), version: 7 },
  publications: history(
    [
      [6, 'e6', 400],
      [8, 'e8', 1500],
      [9, 'e9', 2600],
    ],
    { e6: 450, e8: 1540, e9: 2650 },
  ),
  answer: { at: t(22), how: 'NOTIFICATION', reflects: 'DECIDED' },
};

const names = (pieces: JourneyPieces) => journeyOf(pieces).map((step) => step.step);

describe('journeyOf', () => {
  it('given an accepted proposal that reached the page, then every step is there, in causal order, timed from RECEIVED', () => {
    expect(journeyOf(travelled)).toEqual([
      { step: 'RECEIVED', handler: 'graphql', at: t(0), sinceReceivedMs: 0, how: null },
      { step: 'COMMAND_WRITTEN', handler: 'graphql', at: t(3), sinceReceivedMs: 3, how: null },
      { step: 'DECIDED', handler: 'decide', at: t(20), sinceReceivedMs: 20, how: null },
      { step: 'ANSWERED', handler: 'graphql', at: t(22), sinceReceivedMs: 22, how: 'NOTIFICATION' },
      { step: 'LOCATION_CHECKED', handler: 'validate-geolocation', at: t(60), sinceReceivedMs: 60, how: null },
      { step: 'PROJECTED', handler: 'project-recent', at: t(1100), sinceReceivedMs: 1100, how: null },
      // The list's version 7 was never rendered on its own (renders coalesce): version 8 was the first page with it.
      { step: 'PAGE_PUBLISHED', handler: 'render-homepage', at: t(1500), sinceReceivedMs: 1500, how: null },
      { step: 'CDN_INVALIDATED', handler: 'invalidate-cdn', at: t(1540), sinceReceivedMs: 1540, how: null },
    ]);
  });

  it('given clocks that disagree (an effect stamped before its cause), then the cause still comes first', () => {
    // The decider's clock runs 5 ms behind the API's; the answer's clock is the API's.
    const skewed = { ...travelled, outcome: accepted(1), answer: { ...travelled.answer!, at: t(4) } };
    const journey = journeyOf(skewed);
    expect(journey.map((step) => step.step).slice(0, 4)).toEqual([
      'RECEIVED',
      'COMMAND_WRITTEN',
      'DECIDED',
      'ANSWERED',
    ]);
    expect(journey.find((step) => step.step === 'DECIDED')?.sinceReceivedMs).toBe(1);
  });

  it('given an answer that waited for the location check, then ANSWERED follows LOCATION_CHECKED', () => {
    const waited = { ...travelled, answer: { at: t(61), how: 'NOTIFICATION', reflects: 'LOCATION_CHECKED' } as const };
    expect(names(waited).slice(0, 5)).toEqual([
      'RECEIVED',
      'COMMAND_WRITTEN',
      'DECIDED',
      'LOCATION_CHECKED',
      'ANSWERED',
    ]);
  });

  it('given a rejected command, then its journey ends at DECIDED and ANSWERED', () => {
    const journey = journeyOf({
      ...travelled,
      outcome: rejected,
      answer: { at: t(21), how: 'NOTIFICATION', reflects: 'DECIDED' },
    });
    expect(journey.map((step) => step.step)).toEqual(['RECEIVED', 'COMMAND_WRITTEN', 'DECIDED', 'ANSWERED']);
    expect(journey.at(-1)?.how).toBe('NOTIFICATION');
  });

  it('given a command that failed for good, then DECIDED names the handler that gave up, after its failure was answered', () => {
    const journey = journeyOf({
      ...travelled,
      outcome: failed,
      // The caller was told at the first failure, while retries were still to come.
      answer: { at: t(40), how: 'NOTIFICATION', reflects: null },
    });
    expect(journey.map((step) => [step.step, step.handler])).toEqual([
      ['RECEIVED', 'graphql'],
      ['COMMAND_WRITTEN', 'graphql'],
      ['ANSWERED', 'graphql'],
      ['DECIDED', 'decide'],
    ]);
  });

  it('given a pending command, then it was received, written and answered PENDING, and nothing more yet', () => {
    const journey = journeyOf({
      command,
      outcome: null,
      locationCheckedAt: null,
      listing: null,
      publications: emptyPublications,
      answer: { at: t(5000), how: 'PENDING', reflects: null },
    });
    expect(journey.map((step) => [step.step, step.how])).toEqual([
      ['RECEIVED', null],
      ['COMMAND_WRITTEN', null],
      ['ANSWERED', 'PENDING'],
    ]);
  });

  it('given a pending answer that the decision then overtook, then both are there, ANSWERED first', () => {
    const journey = journeyOf({ ...travelled, answer: { at: t(5000), how: 'PENDING', reflects: null } });
    expect(journey.map((step) => step.step)).toEqual([
      'RECEIVED',
      'COMMAND_WRITTEN',
      'DECIDED',
      'LOCATION_CHECKED',
      'PROJECTED',
      'PAGE_PUBLISHED',
      'CDN_INVALIDATED',
      'ANSWERED',
    ]);
  });

  it('given a destination no longer listed (let go for newer ones), then its journey stops before PROJECTED', () => {
    expect(names({ ...travelled, listing: null })).toEqual([
      'RECEIVED',
      'COMMAND_WRITTEN',
      'DECIDED',
      'ANSWERED',
      'LOCATION_CHECKED',
    ]);
  });

  it('given a listed destination whose page is not published yet, then it stops at PROJECTED', () => {
    expect(names({ ...travelled, publications: history([[6, 'e6', 400]], { e6: 450 }) })).toEqual([
      'RECEIVED',
      'COMMAND_WRITTEN',
      'DECIDED',
      'ANSWERED',
      'LOCATION_CHECKED',
      'PROJECTED',
    ]);
  });

  it('given a page published but not invalidated yet, then it stops at PAGE_PUBLISHED', () => {
    expect(names({ ...travelled, publications: history([[8, 'e8', 1500]]) }).at(-1)).toBe('PAGE_PUBLISHED');
  });

  it('given the first page with the destination was forgotten by the bounded history, then the page is not claimed', () => {
    expect(names({ ...travelled, publications: history([[9, 'e9', 2600]], { e9: 2650 }, 8) }).at(-1)).toBe('PROJECTED');
  });

  it('given the answer was not recorded (the cache was away), then only ANSWERED is missing', () => {
    expect(names({ ...travelled, answer: null })).not.toContain('ANSWERED');
    expect(names({ ...travelled, answer: null })).toHaveLength(7);
  });

  it('given a command stored before receipts were kept, then offsets count from COMMAND_WRITTEN', () => {
    const { receivedAt: _dropped, ...older } = command;
    const journey = journeyOf({ ...travelled, command: older });
    expect(journey[0]).toMatchObject({ step: 'COMMAND_WRITTEN', sinceReceivedMs: 0 });
    expect(journey[1]).toMatchObject({ step: 'DECIDED', sinceReceivedMs: 17 });
  });
});

describe('parseRecordedAnswer', () => {
  it('given what the API records, then it reads it back; anything else is no answer', () => {
    const answer = { at: t(22), how: 'DURABLE_OUTCOME', reflects: 'LOCATION_CHECKED' };
    expect(parseRecordedAnswer(answer)).toEqual(answer);
    expect(parseRecordedAnswer({ ...answer, how: 'CARRIER_PIGEON' })).toBeNull();
    expect(parseRecordedAnswer({ ...answer, at: 'yesterday' })).toBeNull();
    expect(parseRecordedAnswer({ ...answer, reflects: 'PAGE_PUBLISHED' })).toBeNull();
    expect(parseRecordedAnswer('NOTIFICATION')).toBeNull();
  });
});
