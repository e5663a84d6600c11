/**
 * How each delivery kind reaches the runner: the platform's event is decoded into the
 * handler's messages, and failures go back the way that kind retries.
 * - stream (the event table): each record on its own, side by side (their appends are
 *   coalesced); a failed record is a batch item failure, retried from there in order.
 * - bus (EventBridge): one record per invocation; a throw is retried by async invoke.
 * - read-model-stream: the batch's changed keys at once (folded into one write); a throw retries the batch.
 * - object-created (S3 notifications): the created objects at once; a throw is retried by async invoke.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent, EventBridgeEvent, S3Event } from 'aws-lambda';
import type { AnyHandler } from '../../handlers/handler.js';
import type { ObjectCreated } from '../../handlers/invalidate-cdn.js';
import { MalformedRecordError } from '../../errors/index.js';
import type { Delivery } from '../../topology/topology.js';
import { fromItem, fromStreamImage } from '../dynamodb/record-codec.js';
import type { RunnerDependencies } from './dependencies.js';
import { DESTINATIONS } from '../telemetry/index.js';
import { EVENT_TABLE_STREAM, type MessageSource, runDelivery } from './run-handler.js';

const BUS: MessageSource = { system: 'aws.eventbridge', destinationName: DESTINATIONS.eventTable };
const READ_MODEL_STREAM: MessageSource = {
  system: 'aws.dynamodb_streams',
  destinationName: DESTINATIONS.readModelTable,
};
const SITE_BUCKET: MessageSource = { system: 'aws.s3', destinationName: DESTINATIONS.siteBucket };

export type BusEvent = EventBridgeEvent<string, Record<string, unknown>>;
export type StreamFunction = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
export type BusFunction = (event: BusEvent) => Promise<void>;
export type ObjectCreatedFunction = (event: S3Event) => Promise<void>;

export function streamFunction(handler: AnyHandler, deps: RunnerDependencies): StreamFunction {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const handleRecord = async (streamRecord: DynamoDBRecord): Promise<void> => {
    const image = streamRecord.dynamodb?.NewImage;
    if (!image) throw new MalformedRecordError('stream record without a new image');
    await runDelivery(handler, [fromStreamImage(image as Record<string, AttributeValue>)], deps, EVENT_TABLE_STREAM);
  };
  return (event) => processPartialResponse(event, handleRecord, processor, { throwOnFullBatchFailure: false });
}

export function busFunction(handler: AnyHandler, deps: RunnerDependencies): BusFunction {
  return (event) => runDelivery(handler, [fromItem(event.detail)], deps, BUS);
}

export function readModelStreamFunction(handler: AnyHandler, deps: RunnerDependencies): StreamFunction {
  return async (event) => {
    // No records: the deployment's first invocation (an empty payload).
    const keys = (event.Records ?? []).map((record) => record.dynamodb?.Keys?.['pk']?.S ?? '');
    await runDelivery(handler, keys, deps, READ_MODEL_STREAM);
    return { batchItemFailures: [] };
  };
}

/** S3 notifications URL-encode keys the form way (a space is `+`). */
const decodeKey = (key: string): string => decodeURIComponent(key.replaceAll('+', ' '));

export function objectsCreated(event: S3Event): ObjectCreated[] {
  return event.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map((record) => ({
    key: decodeKey(record.s3.object.key),
    eTag: record.s3.object.eTag ?? null,
    sequencer: record.s3.object.sequencer,
  }));
}

export function objectCreatedFunction(handler: AnyHandler, deps: RunnerDependencies): ObjectCreatedFunction {
  return (event) => runDelivery(handler, objectsCreated(event), deps, SITE_BUCKET);
}

/** The function of each delivery kind; a new kind is a type error here until it has one. */
export const functionFor = {
  stream: streamFunction,
  bus: busFunction,
  'read-model-stream': readModelStreamFunction,
  'object-created': objectCreatedFunction,
} as const satisfies Record<Delivery, (handler: AnyHandler, deps: RunnerDependencies) => unknown>;
