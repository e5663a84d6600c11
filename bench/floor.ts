/**
 * The component floor of a mutation, measured on the same DynamoDB Local and Redis as the
 * stack under test: each part alone, p50. The floor of the former three-hop
 * path (the definition, kept so runs compare) is put + stream lag + transaction +
 * stream lag + put + Redis round trip + consistent get; the one-hop path needs only
 * put + stream lag + transaction + Redis round trip.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  DescribeStreamCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Redis } from 'ioredis';
import { createDocumentClient, createDynamoDBClient } from '../src/shell/dynamodb/clients.js';
import { EMULATOR_AWS } from '../src/shell/dynamodb/clients.js';
import { percentile } from './stats.js';

export interface Floor {
  readonly putMs: number;
  readonly streamLagMs: number;
  readonly transactMs: number;
  readonly redisRoundTripMs: number;
  readonly consistentGetMs: number;
  /** The definition: the former critical path's parts. */
  readonly threeHopMs: number;
  /** What the one-hop path cannot do without: put, stream lag, transaction, Redis. */
  readonly oneHopMs: number;
}

/**
 * A probe on its own table of the same DynamoDB Local: each `sample()` times every part
 * once, so samples can be taken between the mutations they are compared with (both then
 * meet the same machine), and `floor()` gives their p50s.
 */
export async function createFloorProbe({ dynamodbEndpoint, redisUrl }: { dynamodbEndpoint: string; redisUrl: string }) {
  const aws = { endpoint: dynamodbEndpoint, ...EMULATOR_AWS };
  const client = createDynamoDBClient(aws);
  const documents = createDocumentClient(client);
  const streams = new DynamoDBStreamsClient(aws);
  const table = `bench-floor-${randomUUID().slice(0, 8)}`;
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  const publisher = new Redis(redisUrl);
  const subscriber = new Redis(redisUrl);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  const streamArn = Table?.LatestStreamArn ?? '';
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
  const shardId = StreamDescription?.Shards?.[0]?.ShardId ?? '';
  let iterator = (
    await streams.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: 'LATEST' }),
    )
  ).ShardIterator;
  const channel = `bench-floor-${randomUUID()}`;
  let heard: (() => void) | null = null;
  subscriber.on('message', () => heard?.());
  await subscriber.subscribe(channel);

  const item = () => ({ pk: `item-${randomUUID()}`, payload: 'x'.repeat(200) });
  const timed = async (run: () => Promise<unknown>): Promise<number> => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  const parts = {
    puts: [] as number[],
    lags: [] as number[],
    transacts: [] as number[],
    gets: [] as number[],
    roundTrips: [] as number[],
  };

  return {
    async sample(): Promise<void> {
      const written = item();
      parts.puts.push(
        await timed(() =>
          documents.send(
            new PutCommand({ TableName: table, Item: written, ConditionExpression: 'attribute_not_exists(pk)' }),
          ),
        ),
      );
      // Stream lag: from the put's answer until a poll returns the record.
      const afterPut = performance.now();
      for (;;) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        iterator = page.NextShardIterator;
        if ((page.Records ?? []).length > 0) break;
      }
      parts.lags.push(performance.now() - afterPut);
      // The decider's transaction: event, outcome and view, each conditional.
      parts.transacts.push(
        await timed(() =>
          documents.send(
            new TransactWriteCommand({
              TransactItems: [item(), item(), item()].map((entry) => ({
                Put: { TableName: table, Item: entry, ConditionExpression: 'attribute_not_exists(pk)' },
              })),
            }),
          ),
        ),
      );
      // Drain the transaction's records so the next lag is measured from a shard read to its end.
      for (let seen = 0; seen < 3;) {
        const page = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        iterator = page.NextShardIterator;
        seen += (page.Records ?? []).length;
      }
      parts.gets.push(
        await timed(() =>
          documents.send(new GetCommand({ TableName: table, Key: { pk: written.pk }, ConsistentRead: true })),
        ),
      );
      parts.roundTrips.push(
        await timed(() => new Promise<void>((resolve) => ((heard = resolve), void publisher.publish(channel, 'ping')))),
      );
    },
    floor(): Floor {
      const p50 = (values: number[]) =>
        percentile(
          [...values].sort((a, b) => a - b),
          50,
        );
      const putMs = p50(parts.puts);
      const streamLagMs = p50(parts.lags);
      const transactMs = p50(parts.transacts);
      const redisRoundTripMs = p50(parts.roundTrips);
      const consistentGetMs = p50(parts.gets);
      return {
        putMs,
        streamLagMs,
        transactMs,
        redisRoundTripMs,
        consistentGetMs,
        threeHopMs: putMs + streamLagMs + transactMs + streamLagMs + putMs + redisRoundTripMs + consistentGetMs,
        oneHopMs: putMs + streamLagMs + transactMs + redisRoundTripMs,
      };
    },
    async close(): Promise<void> {
      publisher.disconnect();
      subscriber.disconnect();
      await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
      streams.destroy();
      client.destroy();
    },
  };
}
