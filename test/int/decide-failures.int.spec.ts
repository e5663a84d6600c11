/**
 * The AWS path for a decider that gives up: the on-failure record (shard and sequence
 * numbers only) is turned back into the commands, read from the real stream of DynamoDB
 * Local, and each is recorded as FAILED once.
 */
import { DescribeStreamCommand, DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { observeDynamoDBCalls } from '../../local/dynamodb-calls.js';
import { EMULATOR_AWS } from '../../src/shell/dynamodb/clients.js';
import { decide as decider } from '../../src/handlers/decide.js';
import { streamFunction } from '../../src/shell/runner/deliveries.js';
import { createDecideFailuresFunction } from '../../src/shell/runner/decide-failures.js';
import { proposeCommand } from '../support/commands.js';
import { realNotifier } from '../support/notifications.js';
import { freshStores, silentLog } from '../support/stores.js';
import { recordStream } from '../support/stream-records.js';

const NOW = '2026-11-24T12:00:00.000Z';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0)) await step();
});

async function systemUnderTest() {
  const stores = await freshStores();
  const streams = new DynamoDBStreamsClient({ endpoint: stores.endpoint, ...EMULATOR_AWS });
  const stream = recordStream(stores);
  // What this third reader of the shard costs: its stream calls, counted at the client.
  const streamCalls = observeDynamoDBCalls([streams], () => undefined);
  cleanup.push(async () => {
    await stream.stop();
    streams.destroy();
  });
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: stores.streamArn }));
  const shardId = StreamDescription?.Shards?.[0]?.ShardId ?? '';
  /** The message Lambda puts on the on-failure queue for a batch from `first` to `last`. */
  const onFailureEvent = (first: DynamoDBRecord, last: DynamoDBRecord, messageId = 'm1'): SQSEvent => ({
    Records: [
      {
        messageId,
        receiptHandle: 'r',
        body: JSON.stringify({
          requestContext: {
            requestId: 'req',
            functionArn: 'arn:aws:lambda:local:0:function:decide',
            condition: 'RetryAttemptsExhausted',
            approximateInvokeCount: 6,
          },
          responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
          version: '1.0',
          timestamp: NOW,
          DDBStreamBatchInfo: {
            shardId,
            startSequenceNumber: first.dynamodb?.SequenceNumber,
            endSequenceNumber: last.dynamodb?.SequenceNumber,
            approximateArrivalOfFirstRecord: NOW,
            approximateArrivalOfLastRecord: NOW,
            batchSize: 2,
            streamArn: stores.streamArn,
          },
        }),
        attributes: {} as never,
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:0:decide-failures',
        awsRegion: 'local',
      },
    ],
  });
  const recordFailures = createDecideFailuresFunction({
    eventStore: stores.eventStore,
    streams,
    clock: () => NOW,
    log: silentLog,
  });
  return { stores, nextRecords: (count: number) => stream.next(count), onFailureEvent, recordFailures, streamCalls };
}

const propose = (name: string, correlationId: string) =>
  proposeCommand(correlationId, { name, latitude: 50.85, longitude: 4.35 }, NOW);

describe("the decider's on-failure records", () => {
  it('re-reads the named batch from the stream and records each of its commands as FAILED, with the reason', async () => {
    const sut = await systemUnderTest();
    await sut.stores.eventStore.appendCommand(propose('Brussels', 'cid-failed-1'));
    await sut.stores.eventStore.appendCommand(propose('Leuven', 'cid-failed-2'));
    const [first, last] = await sut.nextRecords(2);

    sut.streamCalls.reset();
    expect(await sut.recordFailures(sut.onFailureEvent(first!, last!))).toEqual({ batchItemFailures: [] });
    // The third reader reads once per batch the decider gave up on, and briefly: one iterator, one page.
    expect(sut.streamCalls.counts).toEqual({ GetShardIterator: 1, GetRecords: 1 });

    for (const correlationId of ['cid-failed-1', 'cid-failed-2']) {
      const outcome = await sut.stores.eventStore.readOutcome(correlationId);
      expect(outcome?.type).toBe('CommandFailed');
      expect(outcome?.data).toEqual({
        handler: 'decide',
        reason: 'the decider gave up: RetryAttemptsExhausted (Unhandled)',
      });
    }
  });

  it('leaves a command that was decided after all as decided, however often its failure is delivered', async () => {
    const sut = await systemUnderTest();
    const redis = await realNotifier();
    cleanup.push(() => redis.close());
    await sut.stores.eventStore.appendCommand(propose('Antwerp', 'cid-decided'));
    const [command] = await sut.nextRecords(1);
    const decide = streamFunction(decider, {
      eventStore: sut.stores.eventStore,
      readModels: sut.stores.readModels,
      publisher: redis.publisher,
      clock: () => NOW,
      log: silentLog,
    });
    await decide({ Records: [command!] });

    for (let delivery = 0; delivery < 2; delivery++)
      expect(await sut.recordFailures(sut.onFailureEvent(command!, command!))).toEqual({ batchItemFailures: [] });
    expect(
      (await sut.stores.eventStore.readStream(propose('Antwerp', 'cid-decided').streamId)).map((record) => record.type),
    ).toEqual(['ProposeDestination', 'CommandAccepted']);
    // The decider's answer only: no failure told for a command that was decided.
    expect((await redis.published()).map((notification) => notification.type)).toEqual(['Projected']);
  });

  it('records an undecided command whose failure is delivered twice as FAILED once', async () => {
    const sut = await systemUnderTest();
    const command = propose('Mechelen', 'cid-undecided');
    await sut.stores.eventStore.appendCommand(command);
    const [record] = await sut.nextRecords(1);

    for (let delivery = 0; delivery < 2; delivery++)
      expect(await sut.recordFailures(sut.onFailureEvent(record!, record!))).toEqual({ batchItemFailures: [] });
    expect((await sut.stores.eventStore.readStream(command.streamId)).map((item) => item.type)).toEqual([
      'ProposeDestination',
      'CommandFailed',
    ]);
    expect((await sut.stores.eventStore.readOutcome('cid-undecided'))?.data).toEqual({
      handler: 'decide',
      reason: 'the decider gave up: RetryAttemptsExhausted (Unhandled)',
    });
  });

  it('hands back a message it cannot use, writing nothing', async () => {
    const sut = await systemUnderTest();
    await sut.stores.eventStore.appendCommand(propose('Ghent', 'cid-untouched'));
    const [command] = await sut.nextRecords(1);
    const event = sut.onFailureEvent(command!, command!, 'broken');
    event.Records[0]!.body = JSON.stringify({ requestContext: { condition: 'RetryAttemptsExhausted' } });

    expect(await sut.recordFailures(event)).toEqual({ batchItemFailures: [{ itemIdentifier: 'broken' }] });
    expect(await sut.stores.eventStore.readOutcome('cid-untouched')).toBeNull();
  });
});
