/**
 * The local event source mapping's batching window: the coalescing the homepage relies on.
 * Pure logic over an in-process function (no stream), so no stand-in is involved.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createDeadLetterStore } from '../../local/dead-letters.js';
import { createEventSourceMapping } from '../../local/event-source-mapping.js';
import { localFunction } from '../../local/local-function.js';
import { silentLog } from '../support/stores.js';

const change = (n: number): DynamoDBRecord => ({
  eventName: 'MODIFY',
  dynamodb: { SequenceNumber: String(n).padStart(6, '0'), Keys: { pk: { S: 'recent-destinations' } } },
});

function recordingMapping(options: {
  batchingWindowMs?: number;
  batchSize?: number;
  workMs?: number;
  parallelizationFactor?: number;
}) {
  const batches: string[][] = [];
  let running = 0;
  let overlapped = false;
  const fn = localFunction('render', async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    overlapped ||= ++running > 1;
    batches.push(event.Records.map((record) => record.dynamodb?.SequenceNumber ?? ''));
    await new Promise((resolve) => setTimeout(resolve, options.workMs ?? 0));
    running--;
    return { batchItemFailures: [] };
  });
  const mapping = createEventSourceMapping({
    fn,
    filter: () => true,
    retry: { maxAttempts: 1, baseDelayMs: 0 },
    deadLetters: createDeadLetterStore(),
    log: silentLog,
    ...options,
  });
  return { mapping, batches, overlapped: () => overlapped };
}

describe('event source mapping with a batching window', () => {
  it('given changes arriving one poll at a time within the window, then they reach the function as one batch', async () => {
    const { mapping, batches } = recordingMapping({ batchingWindowMs: 50 });
    for (let n = 1; n <= 10; n++) mapping.enqueue([change(n)]);
    await mapping.drain();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(10);
  });

  it('given changes arriving while a batch runs, then they gather into the next batch: few invocations, none overlapping, all records in order', async () => {
    const { mapping, batches, overlapped } = recordingMapping({ batchingWindowMs: 0, workMs: 20 });
    for (let n = 1; n <= 30; n++) {
      mapping.enqueue([change(n)]);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await mapping.drain();
    expect(batches.length).toBeLessThan(10);
    expect(overlapped()).toBe(false);
    expect(batches.flat()).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1).padStart(6, '0')));
  });

  it('given more changes than the batch size, then batches are split at the size, in order', async () => {
    const { mapping, batches } = recordingMapping({ batchingWindowMs: 10, batchSize: 4 });
    mapping.enqueue(Array.from({ length: 10 }, (_, i) => change(i + 1)));
    await mapping.drain();
    expect(batches.map((batch) => batch.length)).toEqual([4, 4, 2]);
    expect(batches.flat()).toEqual(Array.from({ length: 10 }, (_, i) => String(i + 1).padStart(6, '0')));
  });

  it('given no batching window, then what gathered while the function was busy is one batch, as Lambda takes what a poll returns', () => {
    return (async () => {
      const { mapping, batches } = recordingMapping({});
      for (let n = 1; n <= 3; n++) mapping.enqueue([change(n)]);
      await mapping.drain();
      expect(batches).toEqual([['000001', '000002', '000003']]);
    })();
  });

  it('given a parallelization factor, then lanes run side by side and each partition key keeps its order in one lane', async () => {
    const keyed = (key: string, n: number): DynamoDBRecord => ({
      eventName: 'INSERT',
      dynamodb: { SequenceNumber: String(n).padStart(6, '0'), Keys: { streamId: { S: key } } },
    });
    const { mapping, batches, overlapped } = recordingMapping({ parallelizationFactor: 4, workMs: 20 });
    const keys = Array.from({ length: 8 }, (_, i) => `command-${i}`);
    for (let round = 0; round < 3; round++) {
      mapping.enqueue(keys.map((key, i) => keyed(key, round * 8 + i + 1)));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await mapping.drain();
    expect(overlapped()).toBe(true);
    const seen = batches.flat();
    expect([...seen].sort()).toEqual(Array.from({ length: 24 }, (_, i) => String(i + 1).padStart(6, '0')));
    for (const [i] of keys.entries()) {
      const ofKey = seen.filter((sequence) => (Number(sequence) - 1) % 8 === i);
      expect(ofKey).toEqual([...ofKey].sort());
    }
  });
});

const eventuallyActive = async (fn: { readonly active: number }) => {
  while (fn.active === 0) await new Promise((resolve) => setImmediate(resolve));
};

describe('event source mapping in-flight count (what settled() waits for and names)', () => {
  it('counts accepted records until they are handled, a retried and dead-lettered one included, and ignores filtered ones', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const deadLetters = createDeadLetterStore();
    const fn = localFunction('flaky', async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
      await held;
      // The second record fails on every attempt.
      return {
        batchItemFailures: event.Records.filter((record) => record.dynamodb?.SequenceNumber === '000002').map(() => ({
          itemIdentifier: '000002',
        })),
      };
    });
    const mapping = createEventSourceMapping({
      fn,
      filter: (record) => record.eventName === 'MODIFY',
      retry: { maxAttempts: 2, baseDelayMs: 1 },
      deadLetters,
      log: silentLog,
    });
    mapping.enqueue([change(1), change(2), { ...change(3), eventName: 'REMOVE' }]);
    expect(mapping.inFlight).toBe(2);
    await eventuallyActive(fn);
    expect(mapping.inFlight).toBe(2);
    release();
    await mapping.drain();
    expect(mapping.inFlight).toBe(0);
    expect(deadLetters.list().map((letter) => (letter.payload as DynamoDBRecord).dynamodb?.SequenceNumber)).toEqual([
      '000002',
    ]);
  });
});
