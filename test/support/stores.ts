import { randomUUID } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient, createDynamoDBClient } from '../../src/shell/dynamodb/clients.js';
import { createDynamoDBEventStore } from '../../src/shell/dynamodb/event-store.js';
import { createDynamoDBReadModelStore } from '../../src/shell/dynamodb/read-model-store.js';
import { EMULATOR_AWS } from '../../src/shell/dynamodb/clients.js';
import { ensureTables, tableNames } from '../../local/create-tables.js';

/** Fresh tables (unique prefix) on the run's DynamoDB Local. */
export async function freshStores() {
  const endpoint = inject('dynamodbEndpoint');
  const client = createDynamoDBClient({ endpoint, ...EMULATOR_AWS });
  const tables = tableNames(`t${randomUUID().slice(0, 8)}-`);
  await ensureTables(client, tables);
  const documents = createDocumentClient(client);
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tables.events }));
  const { Table: readModelTable } = await client.send(new DescribeTableCommand({ TableName: tables.readModels }));
  return {
    endpoint,
    client,
    documents,
    tables,
    streamArn: Table?.LatestStreamArn ?? '',
    readModelStreamArn: readModelTable?.LatestStreamArn ?? '',
    eventStore: createDynamoDBEventStore({
      client: documents,
      tableName: tables.events,
      readModelTableName: tables.readModels,
    }),
    readModels: createDynamoDBReadModelStore({ client: documents, tableName: tables.readModels }),
  };
}

export const silentLog = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
