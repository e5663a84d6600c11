/**
 * Replays the event table from the start into a fresh read-model table: a scan of every
 * destination event, the pure rebuild, then conditional writes into a table this run
 * creates (it refuses to write into one that exists, so live read models are never touched).
 */
import { isDeepStrictEqual } from 'node:util';
import { CreateTableCommand, type DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { VisitplannrError } from '../../errors/index.js';
import { type DestinationEvent, isDestinationEvent } from '../../domain/messages.js';
import { rebuildReadModels } from '../../domain/rebuild-read-models.js';
import { createDynamoDBReadModelStore } from '../dynamodb/read-model-store.js';
import { fromItem } from '../dynamodb/record-codec.js';
import { scanTable } from '../dynamodb/scan.js';
import { readModelTableDefinition } from '../dynamodb/tables.js';
import { PUBLICATIONS_KEY } from '../../topology/topology.js';

export class TargetTableExistsError extends VisitplannrError {
  override readonly name = 'TargetTableExistsError';
  readonly code = 'TARGET_TABLE_EXISTS';
  constructor(
    readonly tableName: string,
    options?: { cause?: unknown },
  ) {
    super(`table ${tableName} already exists; rebuild into a new table`, options);
  }
}

export interface RebuildSummary {
  readonly events: number;
  readonly destinations: number;
  readonly recent: number;
}

export async function rebuildProjections({
  client,
  documents,
  eventTable,
  into,
  onProgress,
}: {
  client: DynamoDBClient;
  documents: DynamoDBDocumentClient;
  eventTable: string;
  into: string;
  /** Called after each destination written, with how many there are: the writes are the long part of a rebuild. */
  onProgress?: (written: number, destinations: number) => void;
}): Promise<RebuildSummary> {
  // 1. Read: every destination event, from the start.
  const items = await scanTable(documents, eventTable, {
    FilterExpression: 'kind = :event',
    ExpressionAttributeValues: { ':event': 'event' },
  });
  const events = items.map(fromItem).filter((record): record is DestinationEvent => isDestinationEvent(record));
  // 2. Fold.
  const rebuilt = rebuildReadModels(events);
  // 3. Write into a table of its own.
  try {
    await client.send(new CreateTableCommand(readModelTableDefinition(into)));
  } catch (error) {
    if (error instanceof ResourceInUseException) throw new TargetTableExistsError(into, { cause: error });
    throw error;
  }
  const store = createDynamoDBReadModelStore({ client: documents, tableName: into });
  for (const [index, destination] of rebuilt.destinations.entries()) {
    await store.putDestination(destination);
    onProgress?.(index + 1, rebuilt.destinations.length);
  }
  if (rebuilt.recent.entries.length > 0) await store.putRecent(rebuilt.recent, 0);
  return { events: events.length, destinations: rebuilt.destinations.length, recent: rebuilt.recent.entries.length };
}

/**
 * Differences between two read-model tables: destination items must be equal; the recent
 * list must hold the same entries in the same order (its change counter, its listing stamps
 * and the items' traces are not compared: they record when and by which span writes happened,
 * which a replay does differently).
 * The homepage's publication history is no projection of the events (it records what the site
 * was written with), so a rebuild has none and it is left out.
 */
export async function compareReadModels(
  documents: DynamoDBDocumentClient,
  expectedTable: string,
  actualTable: string,
): Promise<string[]> {
  const [expected, actual] = await Promise.all([
    scanTable(documents, expectedTable),
    scanTable(documents, actualTable),
  ]);
  const byKey = (items: Record<string, unknown>[]) => new Map(items.map((item) => [String(item['pk']), item]));
  const left = byKey(expected);
  const right = byKey(actual);
  const differences: string[] = [];
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    if (key === PUBLICATIONS_KEY) continue;
    const a = left.get(key);
    const b = right.get(key);
    if (!a || !b) {
      differences.push(`${key}: only in ${a ? expectedTable : actualTable}`);
      continue;
    }
    // The writer's trace (`trace`) says which span wrote an item, which a replay does not repeat.
    const comparable = ({ trace: _writer, ...item }: Record<string, unknown>) =>
      key === 'recent-destinations' ? item['entries'] : item;
    if (!isDeepStrictEqual(comparable(a), comparable(b))) differences.push(`${key}: differs`);
  }
  return differences;
}
