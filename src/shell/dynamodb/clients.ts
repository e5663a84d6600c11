import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** No request may hang: every DynamoDB call has a connection and a response deadline (the SDK retries within them). */
export const DYNAMODB_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 3000 } as const;

export const createDynamoDBClient = (config: DynamoDBClientConfig = {}): DynamoDBClient => new DynamoDBClient({ requestHandler: DYNAMODB_TIMEOUTS, ...config });

/** A document client over `client` that drops `undefined` attributes. */
export const createDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
