import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * No request may hang: every DynamoDB attempt has a connection and a response deadline (the SDK
 * retries within them). Without throwOnRequestTimeout the SDK only logs a warning when an attempt
 * outlives requestTimeout and keeps waiting.
 */
export const DYNAMODB_TIMEOUTS = {
  connectionTimeout: 1000,
  requestTimeout: 3000,
  throwOnRequestTimeout: true,
} as const;

/** Attempts per call, throttling and 5xx included (the SDK's DynamoDB default, stated so drills can count on it). */
export const DYNAMODB_MAX_ATTEMPTS = 4;

export const createDynamoDBClient = (config: DynamoDBClientConfig = {}): DynamoDBClient =>
  new DynamoDBClient({ requestHandler: DYNAMODB_TIMEOUTS, maxAttempts: DYNAMODB_MAX_ATTEMPTS, ...config });

/** A document client over `client` that drops `undefined` attributes. */
export const createDocumentClient = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

/** Region and credentials for an emulator endpoint (DynamoDB Local, the local bus), which checks neither. */
export const EMULATOR_AWS = {
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;
