import { describe, expect, it } from 'vitest';
import {
  answerAgain,
  answerFor,
  commandFailed,
  decideProposal,
  MAX_NAME_LENGTH,
  validateProposal,
} from '../../src/handlers/decide.js';
import { buildCommand, type ProposalInput } from '../../src/resolvers/propose-destination.js';
import { derivedEventId } from '../../src/domain/streams.js';

const NOW = '2026-11-24T10:00:00.000Z';
const CORRELATION_ID = 'cid-decide';
const valid = { name: 'Lisbon', latitude: 38.72, longitude: -9.14 };

const commandFor = (input: Partial<ProposalInput> = {}) => buildCommand({ ...valid, ...input }, CORRELATION_ID, NOW);
const codesFor = (input: Partial<ProposalInput>) =>
  validateProposal({ ...valid, ...input }).map((problem) => `${problem.field}:${problem.code}`);

describe('validateProposal: the name', () => {
  it('given an empty name, when validated, then the name is REQUIRED', () => {
    expect(codesFor({ name: '' })).toEqual(['name:REQUIRED']);
  });

  it('given a name of spaces only, when validated, then it is blank after trimming and REQUIRED', () => {
    expect(codesFor({ name: '    ' })).toEqual(['name:REQUIRED']);
  });

  it('given a name of exactly the maximum length, when validated, then it is accepted', () => {
    expect(MAX_NAME_LENGTH).toBe(100);
    expect(codesFor({ name: 'a'.repeat(100) })).toEqual([]);
  });

  it('given a name one character over the maximum, when validated, then it is TOO_LONG', () => {
    expect(codesFor({ name: 'a'.repeat(101) })).toEqual(['name:TOO_LONG']);
  });

  it('given 100 emoji (200 UTF-16 units), when validated, then it is accepted because code points are counted', () => {
    const name = '😀'.repeat(100);
    expect(name.length).toBe(200);
    expect(codesFor({ name })).toEqual([]);
    expect(codesFor({ name: '😀'.repeat(101) })).toEqual(['name:TOO_LONG']);
  });

  it('given surrounding spaces that push the raw length over the maximum, when validated, then the trimmed length counts', () => {
    expect(codesFor({ name: `  ${'a'.repeat(100)}  ` })).toEqual([]);
  });

  it.each([
    ['a tab', 'Lis\tbon'],
    ['a newline', 'Lis\nbon'],
    ['a NUL', 'Lis\u0000bon'],
    ['a DEL', 'Lis\u007fbon'],
    ['a C1 control', 'Lis\u0085bon'],
    ['a line separator', 'Lis\u2028bon'],
    ['a paragraph separator', 'Lis\u2029bon'],
    ['a right-to-left override (text shown reversed)', 'Lis\u202ebon'],
    ['a left-to-right isolate', 'Lis\u2066bon\u2069'],
  ])('given a name containing %s, when validated, then it has CONTROL_CHARACTERS', (_label, name) => {
    expect(codesFor({ name })).toEqual(['name:CONTROL_CHARACTERS']);
  });

  it.each([
    ['Arabic (right-to-left)', 'القاهرة'],
    ['Hebrew (right-to-left)', 'ירושלים'],
    ['emoji', 'Beach 🏖️ day'],
    ['accents and CJK', 'Zürich 東京'],
  ])('given a name in %s, when validated, then it is accepted', (_label, name) => {
    expect(codesFor({ name })).toEqual([]);
  });
});

describe('validateProposal: the coordinates', () => {
  it.each([
    ['latitude', -90],
    ['latitude', 90],
    ['longitude', -180],
    ['longitude', 180],
    ['latitude', 0],
  ])('given %s on the boundary %d, when validated, then it is accepted', (field, value) => {
    expect(codesFor({ [field]: value })).toEqual([]);
  });

  it.each([
    ['latitude', -90.0001],
    ['latitude', 90.0001],
    ['latitude', 180],
    ['longitude', -180.0001],
    ['longitude', 180.0001],
  ])('given %s of %d, when validated, then it is OUT_OF_RANGE', (field, value) => {
    expect(codesFor({ [field]: value })).toEqual([`${field}:OUT_OF_RANGE`]);
  });

  it.each([
    ['latitude', Number.NaN],
    ['latitude', Number.POSITIVE_INFINITY],
    ['longitude', Number.NEGATIVE_INFINITY],
    ['longitude', Number.NaN],
  ])('given %s of %d, when validated, then it is NOT_A_NUMBER (not OUT_OF_RANGE)', (field, value) => {
    expect(codesFor({ [field]: value })).toEqual([`${field}:NOT_A_NUMBER`]);
  });

  it('given every field wrong at once, when validated, then every problem is reported together', () => {
    const problems = validateProposal({ name: `${'x'.repeat(101)}\t`, latitude: 91, longitude: Number.NaN });
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      'name:TOO_LONG',
      'name:CONTROL_CHARACTERS',
      'latitude:OUT_OF_RANGE',
      'longitude:NOT_A_NUMBER',
    ]);
    for (const problem of problems) expect(problem.message.length).toBeGreaterThan(0);
  });
});

describe('decideProposal', () => {
  it('given a valid proposal, when decided, then DestinationProposed opens the destination stream with the trimmed name', () => {
    const command = commandFor({ name: '  Lisbon  ' });
    const decision = decideProposal(command, NOW);
    if (decision.kind !== 'accepted') throw new Error(`expected acceptance, got ${decision.kind}`);
    const { destinationId } = command.data;
    expect(decision.event).toEqual({
      streamId: `destination-${destinationId}`,
      version: 1,
      kind: 'event',
      type: 'DestinationProposed',
      eventId: derivedEventId(command.eventId, 'DestinationProposed'),
      correlationId: CORRELATION_ID,
      causationId: command.eventId,
      time: NOW,
      data: { destinationId, name: 'Lisbon', latitude: 38.72, longitude: -9.14 },
    });
  });

  it('given a valid proposal, when decided, then CommandAccepted is the second record of the command stream', () => {
    const command = commandFor();
    const decision = decideProposal(command, NOW);
    if (decision.kind !== 'accepted') throw new Error(`expected acceptance, got ${decision.kind}`);
    expect(decision.outcome).toMatchObject({
      streamId: command.streamId,
      version: 2,
      kind: 'outcome',
      type: 'CommandAccepted',
      correlationId: CORRELATION_ID,
      causationId: command.eventId,
      time: NOW,
      data: { destinationId: command.data.destinationId },
    });
    expect(decision.outcome.eventId).not.toBe(decision.event.eventId);
  });

  it('given the same command decided twice, when compared, then the output is identical (deterministic ids)', () => {
    const first = decideProposal(commandFor(), NOW);
    const second = decideProposal(commandFor(), NOW);
    expect(second).toEqual(first);
    const other = decideProposal(buildCommand(valid, 'another-cid', NOW), NOW);
    expect(other.kind === 'accepted' && first.kind === 'accepted' && other.event.eventId === first.event.eventId).toBe(
      false,
    );
  });

  it('given an invalid proposal, when decided, then CommandRejected carries every problem and no event', () => {
    const command = commandFor({ name: '', latitude: 100 });
    const decision = decideProposal(command, NOW);
    if (decision.kind !== 'rejected') throw new Error(`expected rejection, got ${decision.kind}`);
    expect(decision).not.toHaveProperty('event');
    expect(decision.outcome).toMatchObject({
      streamId: command.streamId,
      version: 2,
      type: 'CommandRejected',
      eventId: derivedEventId(command.eventId, 'CommandRejected'),
      correlationId: CORRELATION_ID,
      causationId: command.eventId,
    });
    expect(decision.outcome.data.problems.map((p) => p.code)).toEqual(['REQUIRED', 'OUT_OF_RANGE']);
  });

  it("given a valid proposal, when decided, then the destination's first view is folded from the event, to be written with it", () => {
    const decision = decideProposal(commandFor({ name: '  Lisbon  ' }), NOW);
    if (decision.kind !== 'accepted') throw new Error(`expected acceptance, got ${decision.kind}`);
    expect(decision.destination).toEqual({
      id: decision.event.data.destinationId,
      name: 'Lisbon',
      latitude: 38.72,
      longitude: -9.14,
      status: 'PROPOSED',
      country: null,
      locationRejectionReason: null,
      proposedAt: NOW,
      updatedAt: NOW,
      version: 1,
    });
  });

  it('given a decision, when answered, then an acceptance carries the stored view and a rejection its problems', () => {
    const accepted = decideProposal(commandFor(), NOW);
    if (accepted.kind !== 'accepted') throw new Error('expected acceptance');
    expect(answerFor(accepted)).toEqual({
      type: 'Projected',
      correlationId: CORRELATION_ID,
      step: 'PROPOSED',
      destination: accepted.destination,
    });
    const rejected = decideProposal(commandFor({ name: '' }), NOW);
    if (rejected.kind !== 'rejected') throw new Error('expected rejection');
    expect(answerFor(rejected)).toEqual({
      type: 'Rejected',
      correlationId: CORRELATION_ID,
      problems: rejected.outcome.data.problems,
    });
  });

  it('given a redelivered command, when its stored outcome is answered again, then the caller hears the same answer (or nothing for a failure)', () => {
    const accepted = decideProposal(commandFor(), NOW);
    const rejected = decideProposal(commandFor({ name: '' }), NOW);
    if (accepted.kind !== 'accepted' || rejected.kind !== 'rejected') throw new Error('expected one of each');
    const checked = { ...accepted.destination, status: 'LOCATION_VALIDATED' as const, country: 'PT', version: 2 };
    // The view may have moved on since: the newest stored one is told, at its step.
    expect(answerAgain(accepted.outcome, checked)).toEqual({
      type: 'Projected',
      correlationId: CORRELATION_ID,
      step: 'LOCATION_CHECKED',
      destination: checked,
    });
    expect(answerAgain(rejected.outcome, null)).toEqual(answerFor(rejected));
    expect(answerAgain(commandFailed(commandFor(), 'decide', 'gave up', NOW), null)).toBeNull();
  });

  it('given a right-to-left name with an emoji, when decided, then it is accepted unchanged', () => {
    const decision = decideProposal(commandFor({ name: 'مراكش 🐪' }), NOW);
    expect(decision.kind === 'accepted' && decision.event.data.name).toBe('مراكش 🐪');
  });
});
