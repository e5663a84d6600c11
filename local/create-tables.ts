import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { eventTableDefinition, READ_MODEL_STREAM, readModelTableDefinition } from '../src/shell/dynamodb/tables.js';

export interface TableNames {
  readonly events: string;
  readonly readModels: string;
}

export const tableNames = (prefix: string): TableNames => ({
  events: `${prefix}events`,
  readModels: `${prefix}read-models`,
});

/**
 * Creates the tables unless they exist (a persisted local store keeps them, perhaps from before the
 * read-model stream).
 */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const definition of [eventTableDefinition(names.events), readModelTableDefinition(names.readModels)]) {
    try {
      await client.send(new CreateTableCommand(definition));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  const { Table } = await client.send(new DescribeTableCommand({ TableName: names.readModels }));
  if (!Table?.StreamSpecification?.StreamEnabled) {
    await client.send(new UpdateTableCommand({ TableName: names.readModels, StreamSpecification: READ_MODEL_STREAM }));
  }
}
