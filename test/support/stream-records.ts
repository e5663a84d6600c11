import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, EventBridgeEvent } from 'aws-lambda';
import { EMULATOR_AWS } from '../../src/shell/dynamodb/clients.js';
import { startStreamPoller } from '../../local/stream-poller.js';
import { EVENT_SOURCE } from '../../src/topology/topology.js';
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
    /** Waits (up to 5 s) until the stream shows `count` records past those already taken, and takes them. */
    next: async (count: number): Promise<DynamoDBRecord[]> => {
      const deadline = Date.now() + 5000;
      while (seen.length < consumed + count && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
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

/** The EventBridge event the fan-out and a rule would deliver for a stream record. */
export function asBusEvent(record: DynamoDBRecord, time: string): EventBridgeEvent<string, Record<string, unknown>> {
  const detail = unmarshall(record.dynamodb?.NewImage as never);
  return {
    version: '0',
    id: record.eventID ?? '',
    'detail-type': String(detail['type']),
    source: EVENT_SOURCE,
    account: '0',
    time,
    region: 'local',
    resources: [],
    detail,
  };
}
