/**
 * The destination read model and how events evolve it. The same fold serves the
 * projection (read model) and the handlers that need the stream's current state.
 */
import { VisitplannrError } from '../errors/index.js';
import type { DestinationEvent } from './messages.js';

export type DestinationStatus = 'PROPOSED' | 'LOCATION_VALIDATED' | 'LOCATION_REJECTED';

export interface Destination {
  readonly id: string;
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly status: DestinationStatus;
  readonly country: string | null;
  readonly locationRejectionReason: string | null;
  readonly proposedAt: string;
  readonly updatedAt: string;
  /** Version of the last event folded in. */
  readonly version: number;
}

export class OutOfOrderEventError extends VisitplannrError {
  override readonly name = 'OutOfOrderEventError';
  readonly code = 'OUT_OF_ORDER_EVENT';
  constructor(
    readonly streamId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`event ${actualVersion} of ${streamId} cannot follow version ${expectedVersion - 1}`);
  }
}

/** Folds one event into the state; events must arrive in stream order without gaps. */
export function evolve(state: Destination | null, event: DestinationEvent): Destination {
  const expectedVersion = (state?.version ?? 0) + 1;
  if (event.version !== expectedVersion) throw new OutOfOrderEventError(event.streamId, expectedVersion, event.version);
  switch (event.type) {
    case 'DestinationProposed':
      return {
        id: event.data.destinationId,
        name: event.data.name,
        latitude: event.data.latitude,
        longitude: event.data.longitude,
        status: 'PROPOSED',
        country: null,
        locationRejectionReason: null,
        proposedAt: event.time,
        updatedAt: event.time,
        version: event.version,
      };
    case 'GeolocationValidationSucceeded':
      return {
        ...requireState(state, event),
        status: 'LOCATION_VALIDATED',
        country: event.data.country,
        updatedAt: event.time,
        version: event.version,
      };
    case 'GeolocationValidationFailed':
      return {
        ...requireState(state, event),
        status: 'LOCATION_REJECTED',
        locationRejectionReason: event.data.reason,
        updatedAt: event.time,
        version: event.version,
      };
    default: {
      const unknown: never = event;
      throw new Error(`unhandled event ${JSON.stringify(unknown)}`);
    }
  }
}

function requireState(state: Destination | null, event: DestinationEvent): Destination {
  if (!state) throw new OutOfOrderEventError(event.streamId, 1, event.version);
  return state;
}

export const fold = (state: Destination | null, events: readonly DestinationEvent[]): Destination | null =>
  events.reduce<Destination | null>(evolve, state);
