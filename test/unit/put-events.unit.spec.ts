/**
 * Reliable PutEvents, against a stub EventBridge client (a unit of retry logic; the local bus
 * covers the real client).
 */
import type { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import type { PendingEntry } from '../../src/shell/fanout/entries.js';
import { MAX_ENTRIES_PER_PUT, putEventsReliably } from '../../src/shell/fanout/put-events.js';

const pending = (count: number): PendingEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    sequenceNumber: String(i),
    entry: { Source: 's', DetailType: 't', Detail: JSON.stringify({ i }) },
  }));

/** Fails the entries whose detail index is in `failing` for the first `failFor` calls that contain them. */
function stubClient(failing: Set<number>, failFor: number) {
  const calls: number[][] = [];
  const failures = new Map<number, number>();
  const client = {
    send: (command: PutEventsCommand) => {
      const entries = command.input.Entries ?? [];
      const indexOf = (entry: (typeof entries)[number]) => (JSON.parse(entry.Detail ?? '{}') as { i: number }).i;
      calls.push(entries.map(indexOf));
      const results = entries.map((entry) => {
        const i = indexOf(entry);
        const seen = failures.get(i) ?? 0;
        if (failing.has(i) && seen < failFor) {
          failures.set(i, seen + 1);
          return { ErrorCode: 'InternalFailure' };
        }
        return { EventId: `e${i}` };
      });
      return Promise.resolve({
        Entries: results,
        FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length,
      });
    },
  } as unknown as EventBridgeClient;
  return { client, calls };
}

describe('putEventsReliably (stub EventBridge client)', () => {
  it('sends at most 10 entries per call', async () => {
    const { client, calls } = stubClient(new Set(), 0);
    expect(await putEventsReliably(client, pending(25), { attempts: 3, baseDelayMs: 1 })).toEqual([]);
    expect(calls.map((call) => call.length)).toEqual([MAX_ENTRIES_PER_PUT, MAX_ENTRIES_PER_PUT, 5]);
  });

  it('retries only the entries EventBridge reported as failed', async () => {
    const { client, calls } = stubClient(new Set([3, 7]), 1);
    expect(await putEventsReliably(client, pending(10), { attempts: 3, baseDelayMs: 1 })).toEqual([]);
    expect(calls).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      [3, 7],
    ]);
  });

  it('returns the entries still failing after the last attempt, so their records are reported', async () => {
    const { client, calls } = stubClient(new Set([2]), 99);
    const undelivered = await putEventsReliably(client, pending(4), { attempts: 3, baseDelayMs: 1 });
    expect(undelivered.map((item) => item.sequenceNumber)).toEqual(['2']);
    expect(calls).toHaveLength(3);
  });
});
