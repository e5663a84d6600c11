/**
 * A local event source mapping: stream records → a function, as Lambda does it. Each
 * mapping filters records, calls its function one batch at a time (stream order), and
 * on a partial batch failure retries from the first failed record, with backoff, until
 * `maxAttempts`; then the records go to the dead-letter store.
 *
 * Records that arrive while the function is busy (or, with a batching window, Lambda's
 * MaximumBatchingWindowInSeconds, while the window is open) join one batch, up to
 * `batchSize`; with a parallelization factor, lanes keyed by partition key run side by side.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { sleep } from '../src/shell/runtime/deadline.js';
import { describeError, type Log } from '../src/shell/runtime/logger.js';
import type { DeadLetterStore } from './dead-letters.js';
import type { LocalFunction } from './local-function.js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
}

export interface EventSourceMappingOptions {
  readonly fn: LocalFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>;
  readonly filter: (record: DynamoDBRecord) => boolean;
  readonly retry: RetryPolicy;
  /** Gather records this long (and while the previous batch runs) before invoking; default 0. */
  readonly batchingWindowMs?: number;
  readonly batchSize?: number;
  /**
   * Batches of the stream that run at once (Lambda's ParallelizationFactor, default 1):
   * records of one partition key always go to the same lane, so each key keeps its order.
   */
  readonly parallelizationFactor?: number;
  readonly deadLetters: DeadLetterStore;
  /** Runs after records are dead-lettered (e.g. record the command as failed). */
  readonly onExhausted?: (records: DynamoDBRecord[], error: string) => Promise<void>;
  readonly log: Log;
}

export interface EventSourceMapping {
  /** The function's name. */
  readonly name: string;
  /** Records accepted and not yet handled (delivered, or dead-lettered and reported). */
  readonly inFlight: number;
  enqueue(records: DynamoDBRecord[]): void;
  /** Resolves when everything enqueued so far has been handled. */
  drain(): Promise<void>;
}

/**
 * The record's partition key value (the first key attribute of its table is the partition key in
 * this project's tables).
 */
const partitionKeyOf = (record: DynamoDBRecord): string => {
  const keys = record.dynamodb?.Keys ?? {};
  const value = keys['streamId'] ?? keys['pk'] ?? Object.values(keys)[0];
  return value?.S ?? value?.N ?? '';
};

const laneOf = (key: string, lanes: number): number => {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) | 0;
  return Math.abs(hash) % lanes;
};

export function createEventSourceMapping(options: EventSourceMappingOptions): EventSourceMapping {
  let inFlight = 0;
  const deliver = async (batch: DynamoDBRecord[]): Promise<void> => {
    try {
      await deliverWithRetries(batch);
    } finally {
      inFlight -= batch.length;
    }
  };
  const deliverWithRetries = async (batch: DynamoDBRecord[]): Promise<void> => {
    let remaining = batch;
    let lastError = '';
    for (let attempt = 1; attempt <= options.retry.maxAttempts && remaining.length > 0; attempt++) {
      if (attempt > 1) await sleep(options.retry.baseDelayMs * 2 ** (attempt - 2));
      try {
        const { batchItemFailures } = await options.fn.invoke({ Records: remaining });
        const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
        const firstFailed = remaining.findIndex((record) => failed.has(record.dynamodb?.SequenceNumber ?? ''));
        // Like Lambda: everything from the first failed record on is retried, keeping order.
        remaining = firstFailed === -1 ? [] : remaining.slice(firstFailed);
        lastError = 'reported as batch item failures';
      } catch (error) {
        lastError = describeError(error);
      }
      if (remaining.length > 0)
        options.log.warn('stream batch failed', {
          function: options.fn.name,
          attempt,
          records: remaining.length,
          error: lastError,
        });
    }
    if (remaining.length === 0) return;
    for (const record of remaining) {
      options.deadLetters.add({
        handler: options.fn.name,
        attempts: options.retry.maxAttempts,
        error: lastError,
        payload: record,
      });
    }
    options.log.error('stream records dead-lettered', { function: options.fn.name, records: remaining.length });
    await options.onExhausted?.(remaining, lastError);
  };

  const windowMs = options.batchingWindowMs ?? 0;
  const lanes = Array.from({ length: options.parallelizationFactor ?? 1 }, () => createLane());

  /** One lane: batches one after another; what arrives meanwhile gathers into the next batch. */
  function createLane() {
    let tail: Promise<void> = Promise.resolve();
    const pending: DynamoDBRecord[] = [];
    let flushQueued = false;
    const chain = (step: () => Promise<void>): void => {
      tail = tail
        .then(step)
        .catch((error: unknown) =>
          options.log.error('event source mapping failed', { function: options.fn.name, error }),
        );
    };
    /** One flush in the queue at a time: it waits its turn, then the window, then takes what has gathered. */
    const queueFlush = (): void => {
      if (flushQueued) return;
      flushQueued = true;
      chain(async () => {
        if (windowMs > 0) await sleep(windowMs);
        flushQueued = false;
        const batch = pending.splice(0, options.batchSize ?? Number.POSITIVE_INFINITY);
        if (pending.length > 0) queueFlush();
        await deliver(batch);
      });
    };
    return {
      enqueue(records: DynamoDBRecord[]) {
        pending.push(...records);
        queueFlush();
      },
      async drain() {
        // A flush can queue the next one (a batch split at the size): wait until the queue stops growing.
        for (let seen = tail; ; seen = tail) {
          await seen;
          if (seen === tail) return;
        }
      },
    };
  }

  return {
    name: options.fn.name,
    get inFlight() {
      return inFlight;
    },
    enqueue(records) {
      const accepted = records.filter(options.filter);
      if (accepted.length === 0) return;
      inFlight += accepted.length;
      if (lanes.length === 1) {
        lanes[0]!.enqueue(accepted);
        return;
      }
      const byLane = lanes.map((): DynamoDBRecord[] => []);
      for (const record of accepted) byLane[laneOf(partitionKeyOf(record), lanes.length)]!.push(record);
      byLane.forEach((laneRecords, lane) => laneRecords.length > 0 && lanes[lane]!.enqueue(laneRecords));
    },
    async drain() {
      await Promise.all(lanes.map((lane) => lane.drain()));
    },
  };
}
