import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoDBClient } from '../../src/shell/dynamodb/clients.js';
import { LOCAL_AWS } from '../../src/shell/local/dynamodb-local.js';
import type { TableNames } from '../../src/shell/local/tables.js';

export type Item = Record<string, any>;

/** Every item of a table (paged scan), for tests that compare whole tables. */
export async function scanAll(endpoint: string, tableName: string): Promise<Item[]> {
  const client = createDynamoDBClient({ endpoint, ...LOCAL_AWS });
  const documents = createDocumentClient(client);
  const items: Item[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await documents.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  } finally {
    client.destroy();
  }
  return items;
}

export interface TablesSnapshot {
  readonly events: Item[];
  readonly readModels: Item[];
}

export async function snapshotTables(endpoint: string, tables: TableNames): Promise<TablesSnapshot> {
  const [events, readModels] = await Promise.all([scanAll(endpoint, tables.events), scanAll(endpoint, tables.readModels)]);
  return { events, readModels };
}
