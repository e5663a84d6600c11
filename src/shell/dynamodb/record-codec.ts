/**
 * Stored records ↔ DynamoDB items. Items keep the record's fields as top-level
 * attributes (so stream filters and conditions can see `type`), with `data` as a map.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AnyRecord, RecordKind } from '../../domain/messages.js';
import { isTraceCarrier } from '../../domain/trace.js';
import { MalformedRecordError } from '../../errors/index.js';

const kindOfType: Record<AnyRecord['type'], RecordKind> = {
  ProposeDestination: 'command',
  DestinationProposed: 'event',
  GeolocationValidationSucceeded: 'event',
  GeolocationValidationFailed: 'event',
  CommandAccepted: 'outcome',
  CommandRejected: 'outcome',
  CommandFailed: 'outcome',
};

const STRING_FIELDS = ['streamId', 'kind', 'type', 'eventId', 'correlationId', 'causationId', 'time'] as const;

export const toItem = (record: AnyRecord): Record<string, unknown> => ({ ...record });

/** Checks an item read from the table or its stream and returns it as a typed record. */
export function fromItem(item: Record<string, unknown>): AnyRecord {
  for (const field of STRING_FIELDS) {
    if (typeof item[field] !== 'string') throw new MalformedRecordError(`${field} is missing or not a string`);
  }
  if (typeof item['version'] !== 'number' || !Number.isInteger(item['version']))
    throw new MalformedRecordError('version is not an integer');
  if (typeof item['data'] !== 'object' || item['data'] === null) throw new MalformedRecordError('data is not a map');
  const type = item['type'] as string;
  if (!(type in kindOfType)) throw new MalformedRecordError(`unknown type ${type}`);
  if (kindOfType[type as AnyRecord['type']] !== item['kind'])
    throw new MalformedRecordError(`type ${type} is not a ${String(item['kind'])}`);
  // Trace context only links spans: a damaged one is dropped rather than failing the record (items
  // written before tracing existed have none, and decode as they always did).
  if (item['trace'] !== undefined && !isTraceCarrier(item['trace'])) {
    const { trace: _damaged, ...rest } = item;
    return rest as unknown as AnyRecord;
  }
  return item as unknown as AnyRecord;
}

/** Decodes a stream record's NewImage (DynamoDB JSON). */
export const fromStreamImage = (image: Record<string, AttributeValue>): AnyRecord => fromItem(unmarshall(image));
