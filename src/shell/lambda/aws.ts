/**
 * The AWS platform of the entry points: the settings from the function's environment (set by
 * the CDK app), checked once per cold start, and real clients built on first use.
 */
import { randomUUID } from 'node:crypto';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { type App, composeApp, type Platform } from '../composition.js';
import { flush, startTelemetry } from '../telemetry/index.js';
import { createDynamoDBClient } from '../dynamodb/clients.js';
import { connectRedis } from '../redis/connection.js';
import { systemClock } from '../runtime/clock.js';
import { createLogger } from '../runtime/logger.js';
import { readSettings, required, type Settings } from '../settings.js';

export const settings: Settings = readSettings(process.env);

// Once per cold start (top-level await): OTLP export as the standard OTEL_* variables say, or
// nothing at all without an endpoint. A wrong value stops the cold start, naming its variable.
await startTelemetry();

/** The invocation's spans are exported before it returns: a frozen Lambda exports nothing. */
export function flushedAfter<Event, Result>(
  fn: (event: Event, context: Context) => Promise<Result>,
): (event: Event, context: Context) => Promise<Result> {
  return async (event, context) => {
    try {
      return await fn(event, context);
    } finally {
      await flush();
    }
  };
}

export function awsPlatform(dynamodb: () => DynamoDBClient = () => createDynamoDBClient()): Platform {
  const log = createLogger('visitplannr-platform', settings.logLevel);
  return {
    dynamodb,
    s3: () => new S3Client({}),
    // CloudFront's API is global and answers in us-east-1.
    cloudfront: () => new CloudFrontClient({ region: 'us-east-1' }),
    eventBridge: () => new EventBridgeClient({}),
    streams: () => new DynamoDBStreamsClient({}),
    redis: (role, options) => connectRedis(required(settings, 'redisUrl'), role, log, settings.redisMode, options),
    logger: (service) => createLogger(service, settings.logLevel),
    clock: systemClock,
    newId: randomUUID,
  };
}

export const awsApp = (platform: Platform = awsPlatform()): App => composeApp(settings, platform);
