import { expect } from 'vitest';
import { createDocumentClient, createDynamoDBClient } from '../../src/shell/dynamodb/clients.js';
import { scanTable } from '../../src/shell/dynamodb/scan.js';
import { EMULATOR_AWS } from '../../src/shell/dynamodb/clients.js';
import type { TableNames } from '../../local/create-tables.js';

/**
 * An item of the event or the read-model table, with the attributes tests read. Which of them an
 * item has depends on its table and kind (`type` and `data` on records, `destination` on a
 * destination's read model, `entries` on the recent list): tests pick items by kind or key first.
 */
export interface Item {
  readonly [attribute: string]: unknown;
  readonly pk: string;
  readonly streamId: string;
  readonly version: number;
  readonly eventId: string;
  readonly correlationId: string;
  readonly type: string;
  readonly kind: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly destination: { readonly id: string; readonly name: string; readonly status: string };
  readonly entries: readonly { readonly name: string }[];
}

/** Every item of a table (paged scan), for tests that compare whole tables. */
export async function scanAll(endpoint: string, tableName: string): Promise<Item[]> {
  const client = createDynamoDBClient({ endpoint, ...EMULATOR_AWS });
  try {
    return (await scanTable(createDocumentClient(client), tableName)) as Item[];
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
