/**
 * PutEvents in batches of at most 10 entries, retrying the entries EventBridge reports
 * as failed (FailedEntryCount) with backoff. Returns what could not be delivered.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SpanStatusCode } from '@opentelemetry/api';
import { sleep } from '../runtime/deadline.js';
import { inProducerSpan } from '../telemetry/index.js';
import type { PendingEntry } from './entries.js';

export const MAX_ENTRIES_PER_PUT = 10;

export interface PutEventsRetry {
  readonly attempts: number;
  readonly baseDelayMs: number;
}

export async function putEventsReliably(
  client: EventBridgeClient,
  pending: readonly PendingEntry[],
  retry: PutEventsRetry,
): Promise<PendingEntry[]> {
  const undelivered: PendingEntry[] = [];
  for (let start = 0; start < pending.length; start += MAX_ENTRIES_PER_PUT) {
    undelivered.push(...(await putChunk(client, pending.slice(start, start + MAX_ENTRIES_PER_PUT), retry)));
  }
  return undelivered;
}

/**
 * One chunk is one PRODUCER span (`send` to the bus, retries included) linking to the records'
 * own creation contexts, which the entries carry on (see entries.ts). Entries still undelivered
 * after the last attempt mark it failed.
 */
function putChunk(client: EventBridgeClient, chunk: PendingEntry[], retry: PutEventsRetry): Promise<PendingEntry[]> {
  return inProducerSpan(
    {
      system: 'aws.eventbridge',
      destinationName: chunk[0]?.entry.EventBusName ?? 'default',
      messageCount: chunk.length,
      links: chunk.map((item) => item.trace),
    },
    async (_carrier, span) => {
      const undelivered = await putChunkAttempts(client, chunk, retry);
      if (undelivered.length > 0)
        span.setStatus({ code: SpanStatusCode.ERROR, message: `${undelivered.length} entries not delivered` });
      return undelivered;
    },
  );
}

async function putChunkAttempts(
  client: EventBridgeClient,
  chunk: PendingEntry[],
  retry: PutEventsRetry,
): Promise<PendingEntry[]> {
  let remaining = chunk;
  for (let attempt = 1; remaining.length > 0; attempt++) {
    try {
      const { Entries = [] } = await client.send(
        new PutEventsCommand({ Entries: remaining.map((item) => item.entry) }),
      );
      // The response's entries line up with the request's; an entry without an EventId failed.
      remaining = remaining.filter((_item, i) => !Entries[i]?.EventId);
    } catch (error) {
      if (attempt >= retry.attempts) throw error;
    }
    if (remaining.length === 0 || attempt >= retry.attempts) break;
    await sleep(retry.baseDelayMs * 2 ** (attempt - 1));
  }
  return remaining;
}
