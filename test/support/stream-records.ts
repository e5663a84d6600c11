import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, EventBridgeEvent } from 'aws-lambda';
import { EMULATOR_AWS } from '../../src/shell/dynamodb/clients.js';
import { busEventFor } from '../../local/event-bus.js';
import { startStreamPoller } from '../../local/stream-poller.js';
import { fromStreamImage } from '../../src/shell/dynamodb/record-codec.js';
import { toEntry } from '../../src/shell/fanout/entries.js';
import { eventually } from './eventually.js';
import { silentLog } from './stores.js';

/** Collects the real stream records of a fresh event table, for tests that deliver them by hand. */
export function recordStream(stores: { endpoint: string; streamArn: string }) {
  const streams = new DynamoDBStreamsClient({ endpoint: stores.endpoint, ...EMULATOR_AWS });
  const seen: DynamoDBRecord[] = [];
  const poller = startStreamPoller({
    client: streams,
    streamArn: stores.streamArn,
    backoff: { firstMs: 5, maxMs: 10 },
    log: silentLog,
    onRecords: (records) => Promise.resolve(void seen.push(...records)),
  });
  let consumed = 0;
  return {
    /**
     * Waits until the stream shows `count` records past those already taken, and takes them (fails if they do not
     * come).
     */
    async next(count: number): Promise<DynamoDBRecord[]> {
      await eventually(() => seen.length >= consumed + count, {
        what: `${count} more stream record(s) (${seen.length - consumed} so far)`,
        intervalMs: 10,
      });
      const batch = seen.slice(consumed, consumed + count);
      consumed += batch.length;
      return batch;
    },
    async stop() {
      await poller.stop();
      streams.destroy();
    },
  };
}

export const typeOf = (record: DynamoDBRecord): string => record.dynamodb?.NewImage?.['type']?.S ?? '';

/**
 * The EventBridge event a rule delivers for a stream record: the fan-out's entry for it, made
 * into an event by the local bus, for tests that deliver bus events by hand (in chosen orders).
 */
export function asBusEvent(record: DynamoDBRecord): EventBridgeEvent<string, Record<string, unknown>> {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error('a stream record without a new image makes no bus event');
  const entry = toEntry(fromStreamImage(image as Record<string, AttributeValue>), 'visitplannr-test');
  if (!entry.Source || !entry.DetailType || !entry.Detail) throw new Error('the fan-out made an incomplete entry');
  return busEventFor(
    { Source: entry.Source, DetailType: entry.DetailType, Time: (entry.Time?.getTime() ?? 0) / 1000 },
    JSON.parse(entry.Detail) as Record<string, unknown>,
  );
}
