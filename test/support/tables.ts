import { expect } from 'vitest';
import { createDocumentClient, createDynamoDBClient } from '../../src/shell/dynamodb/clients.js';
import { scanTable } from '../../src/shell/dynamodb/scan.js';
import { EMULATOR_AWS } from '../../src/shell/dynamodb/clients.js';
import type { TableNames } from '../../local/create-tables.js';

export type Item = Record<string, any>;

/** Every item of a table (paged scan), for tests that compare whole tables. */
export async function scanAll(endpoint: string, tableName: string): Promise<Item[]> {
  const client = createDynamoDBClient({ endpoint, ...EMULATOR_AWS });
  try {
    return await scanTable(createDocumentClient(client), tableName);
  } finally {
    client.destroy();
  }
}

export interface TablesSnapshot {
  readonly events: Item[];
  readonly readModels: Item[];
}

export async function snapshotTables(endpoint: string, tables: TableNames): Promise<TablesSnapshot> {
  const [events, readModels] = await Promise.all([
    scanAll(endpoint, tables.events),
    scanAll(endpoint, tables.readModels),
  ]);
  return { events, readModels };
}

/**
 * Runs `action` against a stack and asserts it stored nothing: once every delivery it caused
 * has settled, the event and read-model tables hold exactly what they held before. Returns
 * the action's answer for the test's own assertions.
 */
export async function expectNothingStored<T>(
  stack: { readonly dynamodbEndpoint: string; readonly tables: TableNames; settled(): Promise<void> },
  action: () => Promise<T>,
): Promise<T> {
  const before = await snapshotTables(stack.dynamodbEndpoint, stack.tables);
  const answer = await action();
  await stack.settled();
  expect(await snapshotTables(stack.dynamodbEndpoint, stack.tables)).toEqual(before);
  return answer;
}
