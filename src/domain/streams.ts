/**
 * Stream naming and deterministic ids. Deterministic ids are what make handlers
 * idempotent under at-least-once delivery: a redelivered record produces records with
 * the same ids and stream positions, which the conditional writes then refuse.
 */
import { v5 as uuidV5 } from 'uuid';

const ID_NAMESPACE = '6f1c1f0e-3a52-4d1b-9b7e-6c1a7f0d2b11';
const IDEMPOTENCY_NAMESPACE = 'b3e1e4b2-51a8-4e0c-8f0c-2f6f4b8f9a43';

export const commandStreamId = (correlationId: string): string => `command-${correlationId}`;
export const destinationStreamId = (destinationId: string): string => `destination-${destinationId}`;

/** The command's own record is the first in its stream; its outcome is the second. */
export const COMMAND_VERSION = 1;
export const OUTCOME_VERSION = 2;

/** The id of a record caused by `causationId`, stable across redeliveries. */
export const derivedEventId = (causationId: string, type: string): string =>
  uuidV5(`${causationId}/${type}`, ID_NAMESPACE);

/** A retried request with the same idempotency key maps to the same command. */
export const correlationIdForIdempotencyKey = (idempotencyKey: string): string =>
  uuidV5(idempotencyKey, IDEMPOTENCY_NAMESPACE);
