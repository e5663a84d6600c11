/**
 * The vocabulary of the event table. Commands (imperative), events (past tense) and
 * command outcomes are all stored records: each carries its stream position and the
 * metadata that lets a correlation id flow through every handler.
 */
import type { Problem } from './problems.js';
import type { TraceCarrier } from './trace.js';

/** Metadata every stored record carries. Ids and time arrive from the shell as data. */
export interface RecordMetadata {
  readonly eventId: string;
  readonly correlationId: string;
  /** The record that caused this one; a command is its own cause. */
  readonly causationId: string;
  /** ISO-8601 UTC. */
  readonly time: string;
  /**
   * The trace context of the span that wrote this record (absent when tracing is off, and on
   * records written before it existed): the handlers that read it link their spans to it.
   */
  readonly trace?: TraceCarrier;
}

export type RecordKind = 'command' | 'event' | 'outcome';

export interface StoredRecord<Kind extends RecordKind, Type extends string, Data> extends RecordMetadata {
  readonly streamId: string;
  /** Position in the stream, starting at 1. */
  readonly version: number;
  readonly kind: Kind;
  readonly type: Type;
  readonly data: Data;
}

export type WaitFor = 'PROPOSED' | 'LOCATION_CHECKED';

export interface ProposeDestinationData {
  readonly destinationId: string;
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly idempotencyKey?: string;
}
export type ProposeDestination = StoredRecord<'command', 'ProposeDestination', ProposeDestinationData> & {
  /**
   * When the API received the request that wrote it (its `time` is taken just before the write).
   * Stored in the command's own item, which is written anyway: a journey's first step costs no write.
   * Absent on commands stored before it was kept.
   */
  readonly receivedAt?: string;
};
export type Command = ProposeDestination;

export type DestinationProposed = StoredRecord<
  'event',
  'DestinationProposed',
  { readonly destinationId: string; readonly name: string; readonly latitude: number; readonly longitude: number }
>;
export type GeolocationValidationSucceeded = StoredRecord<
  'event',
  'GeolocationValidationSucceeded',
  { readonly destinationId: string; readonly country: string }
>;
export type GeolocationValidationFailed = StoredRecord<
  'event',
  'GeolocationValidationFailed',
  { readonly destinationId: string; readonly reason: string }
>;
export type DestinationEvent = DestinationProposed | GeolocationValidationSucceeded | GeolocationValidationFailed;

export type CommandAccepted = StoredRecord<'outcome', 'CommandAccepted', { readonly destinationId: string }>;
export type CommandRejected = StoredRecord<'outcome', 'CommandRejected', { readonly problems: readonly Problem[] }>;
export type CommandFailed = StoredRecord<
  'outcome',
  'CommandFailed',
  { readonly handler: string; readonly reason: string }
>;
export type CommandOutcome = CommandAccepted | CommandRejected | CommandFailed;

export type AnyRecord = Command | DestinationEvent | CommandOutcome;
export type RecordType = AnyRecord['type'];

export const destinationEventTypes = [
  'DestinationProposed',
  'GeolocationValidationSucceeded',
  'GeolocationValidationFailed',
] as const satisfies readonly DestinationEvent['type'][];

export function isDestinationEvent(record: AnyRecord): record is DestinationEvent {
  return (destinationEventTypes as readonly string[]).includes(record.type);
}
