/**
 * Table shapes, shared by the local stack (CreateTable) and mirrored by the CDK app.
 * Event table: stream id (partition) + version (sort) gives per-stream order and
 * optimistic concurrency through conditional writes.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const EVENT_TABLE_KEYS = { partition: 'streamId', sort: 'version' } as const;
export const READ_MODEL_TABLE_KEY = 'pk' as const;

export const eventTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: EVENT_TABLE_KEYS.partition, AttributeType: 'S' },
    { AttributeName: EVENT_TABLE_KEYS.sort, AttributeType: 'N' },
  ],
  KeySchema: [
    { AttributeName: EVENT_TABLE_KEYS.partition, KeyType: 'HASH' },
    { AttributeName: EVENT_TABLE_KEYS.sort, KeyType: 'RANGE' },
  ],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
});

export const readModelTableDefinition = (tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: READ_MODEL_TABLE_KEY, AttributeType: 'S' }],
  KeySchema: [{ AttributeName: READ_MODEL_TABLE_KEY, KeyType: 'HASH' }],
  // Feeds render-homepage (see its topology route): keys are enough, it reads the projection itself.
  StreamSpecification: READ_MODEL_STREAM,
});

export const READ_MODEL_STREAM = { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } as const;
