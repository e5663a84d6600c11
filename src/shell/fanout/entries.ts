/**
 * Stream records → EventBridge entries. The detail type is the record type, so rules
 * derived from the topology select by it; the detail is the whole stored record.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import type { DynamoDBRecord } from 'aws-lambda';
import type { AnyRecord } from '../../domain/messages.js';
import type { TraceCarrier } from '../../domain/trace.js';
import { EVENT_SOURCE } from '../../topology/topology.js';
import { fromStreamImage } from '../dynamodb/record-codec.js';
import { toXRayTraceHeader } from '../telemetry/xray.js';

export interface PendingEntry {
  /** The stream record's sequence number, reported back when its entry cannot be delivered. */
  readonly sequenceNumber: string;
  readonly entry: PutEventsRequestEntry;
  /** The record's creation context: the PutEvents span links to it. */
  readonly trace?: TraceCarrier;
}

/**
 * The record's trace context travels twice: inside the detail (it is part of the record, and
 * the only copy a target's handler can read: EventBridge delivers a TraceHeader to a target's
 * tracing, not in the event) and as the entry's TraceHeader, in X-Ray's spelling, for AWS's
 * own view of the hop.
 */
export function toEntry(record: AnyRecord, eventBusName: string): PutEventsRequestEntry {
  const traceHeader = toXRayTraceHeader(record.trace);
  return {
    Source: EVENT_SOURCE,
    DetailType: record.type,
    Detail: JSON.stringify(record),
    EventBusName: eventBusName,
    Time: new Date(record.time),
    ...(traceHeader ? { TraceHeader: traceHeader } : {}),
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
    return [
      {
        sequenceNumber: streamRecord.dynamodb?.SequenceNumber ?? '',
        entry: toEntry(record, eventBusName),
        ...(record.trace ? { trace: record.trace } : {}),
      },
    ];
  });
}
