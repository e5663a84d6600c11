/**
 * Read models in their own table: one item per destination (written inline by the
 * handlers that append its events, see event-store.ts), and one item holding the
 * recent-destinations projection. Writes never move a read model backwards.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Destination } from '../../domain/destination.js';
import { bareEtag, type Publication, type PublicationHistory } from '../../domain/publications.js';
import { emptyRecent, type RecentDestinations } from '../../domain/recent-destinations.js';
import { ExpectedVersionConflictError } from '../../errors/index.js';
import type { ReadModelStore } from '../../ports/index.js';
import { PUBLICATIONS_KEY, RECENT_DESTINATIONS_KEY as RECENT_KEY } from '../../topology/topology.js';
import { destinationItem, destinationKey, traced } from './read-model-items.js';

/**
 * The publication history is one item whose attributes are keyed by etag: `p:<etag>` a
 * publication, `i:<etag>` its invalidation mark. Each write SETs (and REMOVEs) only attributes
 * of its own, so the renderer and the invalidator never overwrite each other and never conflict.
 */
const PUBLISHED = 'p:';
const INVALIDATED = 'i:';

export function publicationHistoryOf(item: Record<string, unknown> | undefined): PublicationHistory {
  const publications: Publication[] = [];
  const invalidations: Record<string, string> = {};
  for (const [name, value] of Object.entries(item ?? {})) {
    if (name.startsWith(PUBLISHED)) {
      const { projectionVersion, publishedAt } = value as { projectionVersion: number; publishedAt: string };
      publications.push({ etag: name.slice(PUBLISHED.length), projectionVersion, publishedAt });
    } else if (name.startsWith(INVALIDATED)) invalidations[name.slice(INVALIDATED.length)] = value as string;
  }
  publications.sort((a, b) => a.projectionVersion - b.projectionVersion);
  return { publications, invalidations, forgottenThrough: (item?.['forgottenThrough'] as number | undefined) ?? 0 };
}

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
      return items.map((item) => traced(item['destination'] as Destination, item));
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
      if (!item) return { value: emptyRecent };
      const floor = item['floor'] as string | undefined;
      const listed = item['listed'] as RecentDestinations['listed'];
      const recent: RecentDestinations = {
        version: item['version'] as number,
        entries: item['entries'] as Destination[],
        ...(floor === undefined ? {} : { floor }),
        ...(listed === undefined ? {} : { listed }),
      };
      return traced(recent, item);
    },

    async getPublications() {
      return publicationHistoryOf(await get(PUBLICATIONS_KEY));
    },

    async recordPublication(publication, forgetting) {
      const names: Record<string, string> = { '#published': `${PUBLISHED}${bareEtag(publication.etag)}` };
      forgetting.etags.forEach((etag, i) => {
        names[`#fp${i}`] = `${PUBLISHED}${etag}`;
        names[`#fi${i}`] = `${INVALIDATED}${etag}`;
      });
      const removals = forgetting.etags.flatMap((_, i) => [`#fp${i}`, `#fi${i}`]);
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: PUBLICATIONS_KEY },
          UpdateExpression: `SET #published = :publication, forgottenThrough = :through${
            removals.length > 0 ? ` REMOVE ${removals.join(', ')}` : ''
          }`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':publication': { projectionVersion: publication.projectionVersion, publishedAt: publication.publishedAt },
            ':through': forgetting.forgottenThrough,
          },
        }),
      );
    },

    async markInvalidated(etag, at) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: PUBLICATIONS_KEY },
          // A redelivered notification marks again later: the first mark is when it was asked for.
          UpdateExpression: 'SET #invalidated = if_not_exists(#invalidated, :at)',
          ExpressionAttributeNames: { '#invalidated': `${INVALIDATED}${bareEtag(etag)}` },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    },

    async putRecent(next, expectedVersion, trace) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: RECENT_KEY,
              version: next.version,
              entries: next.entries,
              ...(next.floor === undefined ? {} : { floor: next.floor }),
              ...(next.listed === undefined ? {} : { listed: next.listed }),
              // The list's writer, beside its entries (which carry no per-destination traces).
              ...(trace ? { trace } : {}),
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
