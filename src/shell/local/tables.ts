import { CreateTableCommand, type DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { eventTableDefinition, readModelTableDefinition } from '../dynamodb/tables.js';

export interface TableNames {
  readonly events: string;
  readonly readModels: string;
}

export const tableNames = (prefix: string): TableNames => ({ events: `${prefix}events`, readModels: `${prefix}read-models` });

/** Creates the tables unless they exist (a persisted local store keeps them). */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  for (const definition of [eventTableDefinition(names.events), readModelTableDefinition(names.readModels)]) {
    try {
      await client.send(new CreateTableCommand(definition));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
}
