/**
 * Polls a real DynamoDB stream the way Lambda's event source mapping does: shards in
 * lineage order (a child only after its parent is drained), GetRecords in a loop,
 * and, when a shard closes (rollover, or the stream is disabled), on to its children.
 */
import {
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { setTimeout as delay } from 'node:timers/promises';
import type { Log } from '../runtime/logger.js';

export interface StreamPollerOptions {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  /** Called with each non-empty batch, in shard order; the poller waits for it. */
  readonly onRecords: (records: DynamoDBRecord[]) => Promise<void>;
  /** Pause between polls of a caught-up shard. */
  readonly idleMs: number;
  readonly log: Log;
}

export interface StreamPoller {
  /** Shards read to their end (closed and drained). */
  readonly completedShards: ReadonlySet<string>;
  stop(): Promise<void>;
}

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const { client, streamArn, log } = options;
  const completed = new Set<string>();
  const reading = new Map<string, Promise<void>>();
  let running = true;
  const stopping = new AbortController();
  const pause = (ms: number) => delay(ms, undefined, { signal: stopping.signal }).catch(() => undefined);

  const describeShards = async (): Promise<Shard[]> => {
    const shards: Shard[] = [];
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }));
      shards.push(...(StreamDescription?.Shards ?? []));
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
    return shards;
  };

  const readShard = async (shardId: string): Promise<void> => {
    let iterator = (await client.send(new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    let lastSequenceNumber: string | undefined;
    while (running && iterator) {
      let page;
      try {
        page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      } catch (error) {
        if (!(error instanceof ExpiredIteratorException) && !(error instanceof TrimmedDataAccessException)) throw error;
        // Resume after the last record handed over rather than re-reading the shard.
        iterator = (
          await client.send(
            new GetShardIteratorCommand({
              StreamArn: streamArn,
              ShardId: shardId,
              ...(lastSequenceNumber ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: lastSequenceNumber } : { ShardIteratorType: 'TRIM_HORIZON' }),
            }),
          )
        ).ShardIterator;
        continue;
      }
      const records = page.Records ?? [];
      if (records.length > 0) {
        await options.onRecords(records.map(toLambdaRecord(streamArn)));
        lastSequenceNumber = records.at(-1)?.dynamodb?.SequenceNumber;
      }
      iterator = page.NextShardIterator;
      if (records.length === 0 && iterator) await pause(options.idleMs);
    }
    if (running) {
      completed.add(shardId);
      log.debug('shard drained', { shardId });
    }
  };

  /** Starts readers for shards whose parent is drained (or gone), until stopped. */
  const discover = async (): Promise<void> => {
    while (running) {
      const shards = await describeShards();
      const known = new Set(shards.map((shard) => shard.ShardId));
      for (const shard of shards) {
        const id = shard.ShardId;
        if (!id || completed.has(id) || reading.has(id)) continue;
        const parent = shard.ParentShardId;
        if (parent && known.has(parent) && !completed.has(parent)) continue;
        reading.set(
          id,
          readShard(id)
            .catch((error: unknown) => log.error('shard reader failed; it will be restarted', { shardId: id, error }))
            .finally(() => reading.delete(id)),
        );
      }
      // New shards appear only when one closes; a slow rediscovery is enough.
      await pause(1000);
    }
  };

  const discovering = discover().catch((error: unknown) => log.error('stream discovery stopped', { error }));

  return {
    completedShards: completed,
    async stop() {
      running = false;
      stopping.abort();
      await discovering;
      await Promise.all(reading.values());
    },
  };
}

/** The shape Lambda hands a stream-triggered function. */
const toLambdaRecord =
  (streamArn: string) =>
  (record: StreamRecord): DynamoDBRecord => ({
    eventID: record.eventID,
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: record.dynamodb as DynamoDBRecord['dynamodb'],
  });
