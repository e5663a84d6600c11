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
import { bareEtag } from '../../domain/publications.js';
import type { AnyHandler } from '../../handlers/handler.js';
import type { ObjectCreated } from '../../handlers/invalidate-cdn.js';
import { MalformedRecordError } from '../../errors/index.js';
import { HOMEPAGE_KEY } from '../../site/assets.js';
import type { Delivery } from '../../topology/topology.js';
import { fromItem, fromStreamImage } from '../dynamodb/record-codec.js';
import { need, type RunnerDependencies } from './dependencies.js';
import { DESTINATIONS } from '../telemetry/index.js';
import { EVENT_TABLE_STREAM, type MessageSource, runDelivery } from './run-handler.js';

const BUS: MessageSource = { system: 'aws.eventbridge', destinationName: DESTINATIONS.eventTable };

/** A change's producer is the write of the item it names, whose trace the handler's look-up read with it. */
const READ_MODEL_STREAM: MessageSource = {
  system: 'aws.dynamodb_streams',
  destinationName: DESTINATIONS.readModelTable,
  producersOf: ({ messages, traces }) => messages.map((key) => traces.get(key as string)),
};

/**
 * A created homepage's producer is the publish that wrote it, whose trace is in the object's
 * metadata (written with the page, so never missing when the notification comes, unlike the
 * publication record the renderer writes after the page): one HEAD per delivery while tracing
 * records, nothing otherwise. A page replaced since (another etag) links to nothing; other
 * objects (the deployed assets) are written with no trace. Telemetry never fails the delivery.
 */
const SITE_BUCKET: MessageSource = {
  system: 'aws.s3',
  destinationName: DESTINATIONS.siteBucket,
  async producersOf({ handler, messages, deps }) {
    const etags = (messages as ObjectCreated[]).flatMap((object) =>
      object.key === HOMEPAGE_KEY && object.eTag ? [bareEtag(object.eTag)] : [],
    );
    if (etags.length === 0) return [];
    const site = need(deps, handler, 'site');
    try {
      const published = await site.head(HOMEPAGE_KEY);
      return published && etags.includes(bareEtag(published.value.etag)) ? [published.trace] : [];
    } catch (error) {
      deps.log.warn("the published page's trace could not be read; its consumer links to nothing", { error });
      return [];
    }
  },
};

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
