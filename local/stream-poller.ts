/**
 * Polls a real DynamoDB stream the way Lambda's event source mapping does: shards in
 * lineage order (a child only after its parent is drained), GetRecords in a loop,
 * and, when a shard closes (rollover, or the stream is disabled), on to its children.
 *
 * It adds no latency and costs next to nothing idle: after a full page it polls again at
 * once; a shard read to its end is polled after a backoff (e.g. 25 ms, then 50, 100, … up
 * to 500); and a `wake()` polls at once: the local stack's DynamoDB client calls it after
 * writing a record some handler waits for, and DynamoDB Local shows a record to the first
 * poll after the write. The records always come from the stream itself.
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
import type { Log } from '../src/shell/runtime/logger.js';

export interface StreamPollerOptions {
  readonly client: DynamoDBStreamsClient;
  readonly streamArn: string;
  /** Called with each non-empty batch, in shard order; the poller waits for it. */
  readonly onRecords: (records: DynamoDBRecord[]) => Promise<void>;
  /** Pauses between polls of a shard read to its end: the first, doubling up to the longest. */
  readonly backoff: { readonly firstMs: number; readonly maxMs: number };
  readonly log: Log;
}

export interface StreamPoller {
  /** Shards read to their end (closed and drained). */
  readonly completedShards: ReadonlySet<string>;
  /** Records handed over so far. */
  readonly delivered: number;
  /** Polls every shard at once (something was just written). */
  wake(): void;
  /**
   * Resolves once every shard being read has answered a poll that started after this call
   * with no records (and those records, if any, were handed over): everything written to
   * the stream before the call has been delivered.
   */
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}

/** GetRecords returns at most 1000 records. */
const FULL_PAGE = 1000;
const DISCOVERY_INTERVAL_MS = 5000;

/** A pause that a wake-up (or stop) ends early; a wake-up while not pausing skips the next pause. */
function interruptibleSleep() {
  let interrupt: (() => void) | null = null;
  let woken = false;
  return {
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        if (woken) {
          woken = false;
          resolve();
          return;
        }
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          interrupt = null;
          resolve();
        }
        interrupt = done;
      }),
    interrupt: () => {
      if (interrupt) interrupt();
      else woken = true;
    },
  };
}

export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const { client, streamArn, log } = options;
  const completed = new Set<string>();
  const reading = new Map<string, Promise<void>>();
  let running = true;
  let delivered = 0;
  const stopping = new AbortController();
  const pause = (ms: number) => delay(ms, undefined, { signal: stopping.signal }).catch(() => undefined);
  /** Per shard reader: its pause (woken early) and who waits for its next empty poll. */
  const readers = new Map<
    string,
    { readonly pause: ReturnType<typeof interruptibleSleep>; caughtUpWaiters: (() => void)[] }
  >();
  const discovery = interruptibleSleep();

  const describeShards = async (): Promise<Shard[]> => {
    const shards: Shard[] = [];
    let ExclusiveStartShardId: string | undefined;
    do {
      const { StreamDescription } = await client.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      ExclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (ExclusiveStartShardId);
    return shards;
  };

  const readShard = async (shardId: string): Promise<void> => {
    const reader = { pause: interruptibleSleep(), caughtUpWaiters: [] as (() => void)[] };
    readers.set(shardId, reader);
    let iterator = (
      await client.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }),
      )
    ).ShardIterator;
    let lastSequenceNumber: string | undefined;
    let backoffMs = options.backoff.firstMs;
    while (running && iterator) {
      // Whoever waits from now on is answered by a poll that starts after their call.
      const waiters = reader.caughtUpWaiters;
      reader.caughtUpWaiters = [];
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
              ...(lastSequenceNumber
                ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: lastSequenceNumber }
                : { ShardIteratorType: 'TRIM_HORIZON' }),
            }),
          )
        ).ShardIterator;
        reader.caughtUpWaiters.unshift(...waiters);
        continue;
      }
      const records = page.Records ?? [];
      iterator = page.NextShardIterator;
      if (records.length > 0) {
        await options.onRecords(records.map(toLambdaRecord(streamArn)));
        delivered += records.length;
        lastSequenceNumber = records.at(-1)?.dynamodb?.SequenceNumber;
        // Not caught up yet: the next poll answers them.
        reader.caughtUpWaiters.unshift(...waiters);
        backoffMs = options.backoff.firstMs;
        // A full page means more are waiting: at once. Otherwise the shard was read to its end, and
        // what is written next wakes the reader (or the backoff finds it).
        if (records.length >= FULL_PAGE) continue;
      } else {
        for (const release of waiters) release();
      }
      if (!iterator) break;
      await reader.pause.sleep(backoffMs);
      if (records.length === 0) backoffMs = Math.min(backoffMs * 2, options.backoff.maxMs);
    }
    readers.delete(shardId);
    for (const release of reader.caughtUpWaiters) release();
    if (running) {
      completed.add(shardId);
      log.debug('shard drained', { shardId });
      // Its children can be read now.
      discovery.interrupt();
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
      // New shards appear only when one closes, which also wakes this loop; a slow rediscovery is enough otherwise.
      await discovery.sleep(DISCOVERY_INTERVAL_MS);
    }
  };

  const discovering = discover().catch((error: unknown) => log.error('stream discovery stopped', { error }));

  let firstDiscovery: Promise<void> | null = null;
  const wake = (): void => {
    for (const reader of readers.values()) reader.pause.interrupt();
  };

  return {
    completedShards: completed,
    get delivered() {
      return delivered;
    },
    wake,
    async caughtUp() {
      // Before the first discovery has found the shards there is no reader to ask.
      firstDiscovery ??= (async () => {
        while (running && readers.size === 0 && completed.size === 0) await pause(5);
      })();
      await firstDiscovery;
      const waits = [...readers.values()].map(
        (reader) => new Promise<void>((resolve) => reader.caughtUpWaiters.push(resolve)),
      );
      wake();
      await Promise.all(waits);
    },
    async stop() {
      running = false;
      stopping.abort();
      discovery.interrupt();
      wake();
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
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: record.dynamodb as DynamoDBRecord['dynamodb'],
  });
