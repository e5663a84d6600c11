import { describe, expect, it } from 'vitest';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { entriesFor, toEntry } from '../../src/shell/fanout/entries.js';
import { DeadlineExceededError, sleep, withDeadline } from '../../src/shell/runtime/deadline.js';
import { EVENT_SOURCE, typesForwardedToBus } from '../../src/topology/topology.js';
import { decideProposal } from '../../src/handlers/decide.js';
import type { AnyRecord } from '../../src/domain/messages.js';
import { NOW, proposeCommand } from '../support/commands.js';

const BUS = 'visitplannr-bus';
const command = proposeCommand('cid-fanout');
const decision = decideProposal(command, NOW);
if (decision.kind !== 'accepted') throw new Error('fixture proposal should be accepted');
const { event: proposed, outcome: accepted } = decision;

type NewImage = NonNullable<NonNullable<DynamoDBRecord['dynamodb']>['NewImage']>;
const streamRecord = (
  eventName: DynamoDBRecord['eventName'],
  record: AnyRecord,
  sequenceNumber: string,
): DynamoDBRecord => ({
  eventName,
  dynamodb: { SequenceNumber: sequenceNumber, NewImage: marshall(record) as NewImage },
});

describe('entriesFor', () => {
  const forwarded = typesForwardedToBus();

  it('given an INSERT of DestinationProposed, then it becomes an entry for the bus carrying the whole record', () => {
    const [pending, ...rest] = entriesFor([streamRecord('INSERT', proposed, '100')], forwarded, BUS);
    expect(rest).toEqual([]);
    expect(pending?.sequenceNumber).toBe('100');
    expect(pending?.entry).toMatchObject({
      Source: EVENT_SOURCE,
      DetailType: 'DestinationProposed',
      EventBusName: BUS,
    });
    expect(JSON.parse(pending?.entry.Detail ?? 'null')).toEqual(proposed);
    expect(pending?.entry.Time).toEqual(new Date(NOW));
  });

  it('given MODIFY and REMOVE records, then they are skipped', () => {
    const records = [streamRecord('MODIFY', proposed, '1'), streamRecord('REMOVE', proposed, '2')];
    expect(entriesFor(records, forwarded, BUS)).toEqual([]);
  });

  it('given an INSERT without a NewImage, then it is skipped', () => {
    expect(entriesFor([{ eventName: 'INSERT', dynamodb: { SequenceNumber: '3' } }], forwarded, BUS)).toEqual([]);
  });

  it('given INSERTs of types no bus route consumes, then they are skipped', () => {
    const records = [streamRecord('INSERT', command, '4'), streamRecord('INSERT', accepted, '5')];
    expect(entriesFor(records, forwarded, BUS)).toEqual([]);
  });

  it('given a mixed batch, then only forwarded inserts remain, in order, with their sequence numbers', () => {
    const records = [
      streamRecord('INSERT', command, '10'),
      streamRecord('INSERT', proposed, '11'),
      streamRecord('MODIFY', proposed, '12'),
      streamRecord('INSERT', accepted, '13'),
    ];
    expect(entriesFor(records, forwarded, BUS).map((p) => [p.sequenceNumber, p.entry.DetailType])).toEqual([
      ['11', 'DestinationProposed'],
    ]);
  });

  it('given a custom forwarded set, then it decides what is forwarded', () => {
    const records = [streamRecord('INSERT', accepted, '20')];
    expect(entriesFor(records, new Set(['CommandAccepted']), BUS).map((p) => p.entry.DetailType)).toEqual([
      'CommandAccepted',
    ]);
  });

  it('given a record, when converted with toEntry, then the detail round-trips through JSON', () => {
    const entry = toEntry(accepted, BUS);
    expect(entry.DetailType).toBe('CommandAccepted');
    expect(JSON.parse(entry.Detail ?? 'null')).toEqual(accepted);
  });
});

describe('withDeadline', () => {
  it('given a promise slower than the deadline, then it rejects with DeadlineExceededError', async () => {
    const slow = sleep(200).then(() => 'late');
    const attempt = withDeadline(slow, 20, 'slow operation');
    await expect(attempt).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(attempt).rejects.toMatchObject({
      operation: 'slow operation',
      timeoutMs: 20,
      message: 'slow operation did not finish within 20 ms',
    });
  });

  it('given a promise faster than the deadline, then it resolves with its value', async () => {
    const fast = sleep(5).then(() => 'on time');
    await expect(withDeadline(fast, 200, 'fast operation')).resolves.toBe('on time');
  });

  it('given a promise that rejects before the deadline, then its own error comes through', async () => {
    const failing = sleep(5).then(() => Promise.reject(new Error('boom')));
    await expect(withDeadline(failing, 200, 'failing operation')).rejects.toThrow('boom');
  });
});
