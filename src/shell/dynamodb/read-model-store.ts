/**
 * Read models in their own table: one item per destination, and one item holding the
 * recent-destinations projection. Writes never move a read model backwards.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Destination } from '../../domain/destination.js';
import { emptyRecent, type RecentDestinations } from '../../domain/recent-destinations.js';
import { ExpectedVersionConflictError } from '../../errors/index.js';
import type { ReadModelStore } from '../../ports/index.js';

const destinationKey = (id: string): string => `destination#${id}`;
const RECENT_KEY = 'recent-destinations';

export function createDynamoDBReadModelStore({ client, tableName }: { client: DynamoDBDocumentClient; tableName: string }): ReadModelStore {
  const get = async (pk: string): Promise<Record<string, unknown> | undefined> =>
    (await client.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true }))).Item;

  return {
    async getDestination(id) {
      const item = await get(destinationKey(id));
      return item ? (item['destination'] as Destination) : null;
    },

    async putDestination(destination) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: destinationKey(destination.id), version: destination.version, destination },
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
      return item ? { version: item['version'] as number, entries: item['entries'] as Destination[] } : emptyRecent;
    },

    async putRecent(next: RecentDestinations, expectedVersion: number) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: RECENT_KEY, version: next.version, entries: next.entries },
            ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :expected',
            ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw new ExpectedVersionConflictError([RECENT_KEY], { cause: error });
        throw error;
      }
    },
  };
}
