/**
 * project: destination events → the destination read model, the recent-destinations
 * projection, and the notification that lets the waiting mutation answer.
 *
 * Order-independent and idempotent: the shell passes the read model as stored plus
 * every stream event after it (read from the event table), so a redelivered, late or
 * early record converges on the same state as a single in-order delivery.
 */
import type { Destination } from '../domain/destination.js';
import { fold } from '../domain/destination.js';
import type { DestinationEvent } from '../domain/messages.js';
import type { Notification } from '../domain/notifications.js';

export interface ProjectionDecision {
  /** The destination to store, or null when the stored one is already current. */
  readonly destination: Destination | null;
  readonly notification: Notification;
}

export function project(delivered: DestinationEvent, stored: Destination | null, eventsAfterStored: readonly DestinationEvent[]): ProjectionDecision {
  const storedVersion = stored?.version ?? 0;
  const pending = eventsAfterStored.filter((event) => event.version > storedVersion);
  const destination = pending.length > 0 ? fold(stored, pending) : null;
  return { destination, notification: notificationFor(delivered) };
}

export function notificationFor(event: DestinationEvent): Notification {
  const base = { type: 'Projected', correlationId: event.correlationId, destinationId: event.data.destinationId, version: event.version } as const;
  switch (event.type) {
    case 'DestinationProposed':
      return { ...base, step: 'PROPOSED' };
    case 'GeolocationValidationSucceeded':
    case 'GeolocationValidationFailed':
      return { ...base, step: 'LOCATION_CHECKED' };
    default: {
      const unknown: never = event;
      throw new Error(`unhandled event ${JSON.stringify(unknown)}`);
    }
  }
}
