import { UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { EMULATOR_AWS } from '../../src/shell/dynamodb/clients.js';
import { startStreamPoller } from '../../local/stream-poller.js';
import { proposeCommand } from '../support/commands.js';
import { eventually } from '../support/eventually.js';
import { freshStores, silentLog } from '../support/stores.js';

describe('stream poller (DynamoDB Local stream)', () => {
  it('delivers every INSERT in order and finishes a shard that closes', async () => {
    const stores = await freshStores();
    const streams = new DynamoDBStreamsClient({ endpoint: stores.endpoint, ...EMULATOR_AWS });
    const seen: DynamoDBRecord[] = [];
    const poller = startStreamPoller({
      client: streams,
      streamArn: stores.streamArn,
      backoff: { firstMs: 5, maxMs: 10 },
      log: silentLog,
      onRecords: (records) => Promise.resolve(void seen.push(...records)),
    });
    for (let i = 0; i < 25; i++)
      await stores.eventStore.appendCommand(proposeCommand(`cid-${i}`, { name: `n${i}`, latitude: 0, longitude: 0 }));
    await eventually(() => seen.length === 25, { what: '25 records delivered' });
    expect(seen.map((record) => record.dynamodb?.NewImage?.['data']?.M?.['name']?.S)).toEqual(
      Array.from({ length: 25 }, (_, i) => `n${i}`),
    );
    expect(seen.every((record) => record.eventName === 'INSERT' && record.eventSourceARN === stores.streamArn)).toBe(
      true,
    );

    // Disabling the stream closes its shard, the same signal a rollover gives.
    await stores.client.send(
      new UpdateTableCommand({ TableName: stores.tables.events, StreamSpecification: { StreamEnabled: false } }),
    );
    await eventually(() => poller.completedShards.size === 1, { what: 'the closed shard finished' });
    await poller.stop();
    streams.destroy();
  });
});
