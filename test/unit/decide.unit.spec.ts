import { describe, expect, it } from 'vitest';
import { commandFailed, decide, decideProposal, MAX_NAME_LENGTH, validateProposal } from '../../src/handlers/decide.js';
import { buildCommand, type ProposalInput } from '../../src/resolvers/propose-destination.js';
import { derivedEventId } from '../../src/domain/streams.js';
import { given } from '../support/given-when-then.js';

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

/**
 * The decisions, through the real runner over the in-memory stores: given the command as the
 * resolver stored it, when the stream delivers it to decide, then what is stored and told.
 */
describe('decide: a ProposeDestination delivered by the stream', () => {
  it('given a valid proposal, when decided, then DestinationProposed opens the destination stream with the trimmed name', async () => {
    const command = commandFor({ name: '  Lisbon  ' });
    const { destinationId } = command.data;
    await given({ records: [command] })
      .when(decide, [command])
      .then(({ stored }) => {
        expect(stored.records.filter((record) => record.streamId === `destination-${destinationId}`)).toEqual([
          {
            streamId: `destination-${destinationId}`,
            version: 1,
            kind: 'event',
            type: 'DestinationProposed',
            eventId: derivedEventId(command.eventId, 'DestinationProposed'),
            correlationId: CORRELATION_ID,
            causationId: command.eventId,
            time: NOW,
            data: { destinationId, name: 'Lisbon', latitude: 38.72, longitude: -9.14 },
          },
        ]);
      });
  });

  it('given a valid proposal, when decided, then CommandAccepted is the second record of the command stream', async () => {
    const command = commandFor();
    await given({ records: [command] })
      .when(decide, [command])
      .then(({ stored, appended }) => {
        const commandStream = stored.records.filter((record) => record.streamId === command.streamId);
        expect(commandStream).toHaveLength(2);
        expect(commandStream[0]).toEqual(command);
        expect(commandStream[1]).toMatchObject({
          streamId: command.streamId,
          version: 2,
          kind: 'outcome',
          type: 'CommandAccepted',
          correlationId: CORRELATION_ID,
          causationId: command.eventId,
          time: NOW,
          data: { destinationId: command.data.destinationId },
        });
        // The event and the outcome, appended together (one unit), each with its own id.
        expect(appended.map((record) => record.type)).toEqual(['DestinationProposed', 'CommandAccepted']);
        expect(appended[1]!.eventId).not.toBe(appended[0]!.eventId);
      });
  });

  it("given a valid proposal, when decided, then the destination's first view is stored with the event", async () => {
    const command = commandFor({ name: '  Lisbon  ' });
    await given({ records: [command] })
      .when(decide, [command])
      .then(({ stored, changedKeys }) => {
        expect(stored.views).toEqual([
          {
            id: command.data.destinationId,
            name: 'Lisbon',
            latitude: 38.72,
            longitude: -9.14,
            status: 'PROPOSED',
            country: null,
            locationRejectionReason: null,
            proposedAt: NOW,
            updatedAt: NOW,
            version: 1,
          },
        ]);
        expect(changedKeys).toEqual([`destination#${command.data.destinationId}`]);
      });
  });

  it('given a valid proposal, when decided, then the caller is told PROPOSED with the view as stored', async () => {
    const command = commandFor();
    await given({ records: [command] })
      .when(decide, [command])
      .then(({ stored, notifications }) => {
        expect(notifications).toEqual([
          { type: 'Projected', correlationId: CORRELATION_ID, step: 'PROPOSED', destination: stored.views[0] },
        ]);
      });
  });

  it('given the same command decided in two places, when compared, then what is stored and told is identical (deterministic ids)', async () => {
    const command = commandFor();
    const first = await given({ records: [command] }).when(decide, [command]);
    const second = await given({ records: [command] }).when(decide, [command]);
    expect(second.stored).toEqual(first.stored);
    expect(second.notifications).toEqual(first.notifications);
    const otherCommand = buildCommand(valid, 'another-cid', NOW);
    const other = await given({ records: [otherCommand] }).when(decide, [otherCommand]);
    expect(other.appended[0]!.eventId).not.toBe(first.appended[0]!.eventId);
  });

  it('given an invalid proposal, when decided, then CommandRejected carries every problem, no event or view is stored, and the caller is told the problems', async () => {
    const command = commandFor({ name: '', latitude: 100 });
    await given({ records: [command] })
      .when(decide, [command])
      .then(({ stored, notifications }) => {
        expect(stored.records.filter((record) => record.kind === 'event')).toEqual([]);
        expect(stored.views).toEqual([]);
        expect(stored.records).toHaveLength(2);
        const outcome = stored.records[1]!;
        expect(outcome).toMatchObject({
          streamId: command.streamId,
          version: 2,
          type: 'CommandRejected',
          eventId: derivedEventId(command.eventId, 'CommandRejected'),
          correlationId: CORRELATION_ID,
          causationId: command.eventId,
        });
        const problems = outcome.type === 'CommandRejected' ? outcome.data.problems : [];
        expect(problems.map((p) => p.code)).toEqual(['REQUIRED', 'OUT_OF_RANGE']);
        expect(notifications).toEqual([{ type: 'Rejected', correlationId: CORRELATION_ID, problems }]);
      });
  });

  it('given a right-to-left name with an emoji, when decided, then it is accepted unchanged', async () => {
    const command = commandFor({ name: 'مراكش 🐪' });
    await given({ records: [command] })
      .when(decide, [command])
      .then(({ stored }) => {
        expect(stored.views.map((view) => view.name)).toEqual(['مراكش 🐪']);
        expect(stored.records.find((record) => record.type === 'DestinationProposed')?.data).toMatchObject({
          name: 'مراكش 🐪',
        });
      });
  });

  it('given a record decide does not take, when delivered, then nothing is written and the stray delivery is logged', async () => {
    const accepted = decideProposal(commandFor(), NOW);
    if (accepted.kind !== 'accepted') throw new Error('expected acceptance');
    await given()
      .when(decide, [accepted.event])
      .then(({ stored, writes, notifications, logs }) => {
        expect(stored.records).toEqual([]);
        expect(writes).toEqual([]);
        expect(notifications).toEqual([]);
        expect(logs).toContainEqual(
          expect.objectContaining({ level: 'warn', message: expect.stringContaining('not handled here') }),
        );
      });
  });
});

describe('decide: the same command delivered again (at least once)', () => {
  it('given a valid proposal, when delivered three times, then the state is that of one delivery and each delivery tells the same answer', async () => {
    const command = commandFor();
    const once = await given({ records: [command] }).when(decide, [command]);
    await given({ records: [command] })
      .when(decide, [command], { deliveries: 3 })
      .then(({ stored, deliveries }) => {
        expect(stored).toEqual(once.stored);
        expect(deliveries.map((delivery) => delivery.writes.length)).toEqual([1, 0, 0]);
        // Each redelivery's append met the first one's records, so it looked again and told what is stored.
        expect(deliveries.map((delivery) => delivery.refused.length)).toEqual([0, 1, 1]);
        for (const delivery of deliveries) expect(delivery.notifications).toEqual(once.notifications);
      });
  });

  it('given an accepted proposal whose view has moved on since, when redelivered, then nothing is written and the caller hears the newest view, at its step', async () => {
    const command = commandFor();
    const accepted = decideProposal(command, NOW);
    if (accepted.kind !== 'accepted') throw new Error('expected acceptance');
    const checked = { ...accepted.destination, status: 'LOCATION_VALIDATED' as const, country: 'PT', version: 2 };
    await given({ records: [command, accepted.event, accepted.outcome], views: [checked] })
      .when(decide, [command])
      .then(({ writes, notifications, stored }) => {
        expect(writes).toEqual([]);
        expect(stored.views).toEqual([checked]);
        expect(notifications).toEqual([
          { type: 'Projected', correlationId: CORRELATION_ID, step: 'LOCATION_CHECKED', destination: checked },
        ]);
      });
  });

  it('given a rejected proposal, when redelivered, then nothing is written and the caller hears the same problems again', async () => {
    const command = commandFor({ name: '' });
    const first = await given({ records: [command] }).when(decide, [command]);
    const rejected = decideProposal(command, NOW);
    if (rejected.kind !== 'rejected') throw new Error('expected rejection');
    await given({ records: [command, rejected.outcome] })
      .when(decide, [command])
      .then(({ writes, notifications }) => {
        expect(writes).toEqual([]);
        expect(notifications).toEqual(first.notifications);
        expect(notifications).toEqual([
          { type: 'Rejected', correlationId: CORRELATION_ID, problems: rejected.outcome.data.problems },
        ]);
      });
  });

  it('given a command recorded as FAILED, when redelivered, then nothing is written and nothing told (its caller was told when it failed)', async () => {
    const command = commandFor();
    const failed = commandFailed(command, 'decide', 'gave up', NOW);
    await given({ records: [command, failed] })
      .when(decide, [command])
      .then(({ stored, writes, notifications }) => {
        expect(writes).toEqual([]);
        expect(notifications).toEqual([]);
        expect(stored.records).toEqual([command, failed]);
      });
  });
});
