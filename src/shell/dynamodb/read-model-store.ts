/**
 * Read models in their own table: one item per destination (written inline by the
 * handlers that append its events, see event-store.ts), and one item holding the
 * recent-destinations projection. Writes never move a read model backwards.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Destination } from '../../domain/destination.js';
import { emptyRecent, type RecentDestinations } from '../../domain/recent-destinations.js';
import { ExpectedVersionConflictError } from '../../errors/index.js';
import type { ReadModelStore } from '../../ports/index.js';
import { RECENT_DESTINATIONS_KEY as RECENT_KEY } from '../../topology/topology.js';
import { destinationItem, destinationKey } from './read-model-items.js';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_LIMIT = 100;
const UNPROCESSED_RETRIES = 5;

export function createDynamoDBReadModelStore({
  client,
  tableName,
}: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): ReadModelStore {
  const get = async (pk: string): Promise<Record<string, unknown> | undefined> =>
    (await client.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true }))).Item;

  /** One chunk of keys; unprocessed keys (throttling) are asked again, a bounded number of times. */
  const batchGet = async (keys: string[]): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let pending: Record<string, unknown>[] = keys.map((pk) => ({ pk }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > UNPROCESSED_RETRIES)
        throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${UNPROCESSED_RETRIES} retries`);
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      items.push(...(Responses?.[tableName] ?? []));
      pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
    return items;
  };

  return {
    async getDestination(id) {
      const item = await get(destinationKey(id));
      return item ? (item['destination'] as Destination) : null;
    },

    async getDestinations(ids) {
      const unique = [...new Set(ids)];
      const chunks = Array.from({ length: Math.ceil(unique.length / BATCH_GET_LIMIT) }, (_, i) =>
        unique.slice(i * BATCH_GET_LIMIT, (i + 1) * BATCH_GET_LIMIT),
      );
      const items = (await Promise.all(chunks.map((chunk) => batchGet(chunk.map(destinationKey))))).flat();
      return items.map((item) => item['destination'] as Destination);
    },

    async putDestination(destination) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: destinationItem(destination),
            ConditionExpression: 'attribute_not_exists(pk) OR version < :version',
            ExpressionAttributeValues: { ':version': destination.version },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async getRecent() {
      const item = await get(RECENT_KEY);
      if (!item) return emptyRecent;
      const floor = item['floor'] as string | undefined;
      return {
        version: item['version'] as number,
        entries: item['entries'] as Destination[],
        ...(floor === undefined ? {} : { floor }),
      };
    },

    async putRecent(next: RecentDestinations, expectedVersion: number) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: RECENT_KEY,
              version: next.version,
              entries: next.entries,
              ...(next.floor === undefined ? {} : { floor: next.floor }),
            },
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
            ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException)
          throw new ExpectedVersionConflictError([RECENT_KEY], { cause: error });
        throw error;
      }
    },
  };
}
