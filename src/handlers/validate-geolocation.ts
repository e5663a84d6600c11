/**
 * validate geolocation: DestinationProposed → GeolocationValidationSucceeded { country }
 * or GeolocationValidationFailed { reason }. You can't visit somewhere that isn't
 * anywhere: a point outside every country (the open sea) fails.
 * The reverse geocoder is offline data (country-coder), so this stays pure.
 */
import { iso1A2Code } from '@rapideditor/country-coder';
import type { Destination } from '../domain/destination.js';
import type {
  DestinationProposed,
  GeolocationValidationFailed,
  GeolocationValidationSucceeded,
} from '../domain/messages.js';
import { derivedEventId } from '../domain/streams.js';

export const NOT_IN_ANY_COUNTRY = 'The location is not in any country (open sea?).';

export type GeolocationDecision = GeolocationValidationSucceeded | GeolocationValidationFailed | null;

/** `current` is the destination stream folded so far; null output means nothing to do (already checked). */
export function validateGeolocation(
  event: DestinationProposed,
  current: Destination | null,
  now: string,
): GeolocationDecision {
  if (current && current.status !== 'PROPOSED') return null;
  const base = {
    streamId: event.streamId,
    version: (current?.version ?? event.version) + 1,
    kind: 'event',
    correlationId: event.correlationId,
    causationId: event.eventId,
    time: now,
  } as const;
  const { destinationId, latitude, longitude } = event.data;
  const country = iso1A2Code([longitude, latitude]);
  if (country) {
    return {
      ...base,
      eventId: derivedEventId(event.eventId, 'GeolocationValidationSucceeded'),
      type: 'GeolocationValidationSucceeded',
      data: { destinationId, country },
    };
  }
  return {
    ...base,
    eventId: derivedEventId(event.eventId, 'GeolocationValidationFailed'),
    type: 'GeolocationValidationFailed',
    data: { destinationId, reason: NOT_IN_ANY_COUNTRY },
  };
}
