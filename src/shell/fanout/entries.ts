/**
 * Stream records → EventBridge entries. The detail type is the record type, so rules
 * derived from the topology select by it; the detail is the whole stored record.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AnyRecord } from '../../domain/messages.js';
import { EVENT_SOURCE } from '../../topology/topology.js';
import { fromStreamImage } from '../dynamodb/record-codec.js';

export interface PendingEntry {
  /** The stream record's sequence number, reported back when its entry cannot be delivered. */
  readonly sequenceNumber: string;
  readonly entry: PutEventsRequestEntry;
}

export function toEntry(record: AnyRecord, eventBusName: string): PutEventsRequestEntry {
  return {
    Source: EVENT_SOURCE,
    DetailType: record.type,
    Detail: JSON.stringify(record),
    EventBusName: eventBusName,
    Time: new Date(record.time),
  };
}

/** New records whose type some bus route consumes; others are not worth a PutEvents. */
export function entriesFor(
  records: readonly DynamoDBRecord[],
  forwardedTypes: ReadonlySet<string>,
  eventBusName: string,
): PendingEntry[] {
  return records.flatMap((streamRecord) => {
    const image = streamRecord.dynamodb?.NewImage;
    if (streamRecord.eventName !== 'INSERT' || !image) return [];
    const record = fromStreamImage(image as Record<string, AttributeValue>);
    if (!forwardedTypes.has(record.type)) return [];
    return [{ sequenceNumber: streamRecord.dynamodb?.SequenceNumber ?? '', entry: toEntry(record, eventBusName) }];
  });
}
