import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** No request may hang: every DynamoDB call has a connection and a response deadline (the SDK retries within them). */
export const DYNAMODB_TIMEOUTS = { connectionTimeout: 1000, requestTimeout: 3000 } as const;

/** A document client that drops `undefined` attributes, with request deadlines. */
export function createDocumentClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: DYNAMODB_TIMEOUTS, ...config }), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
