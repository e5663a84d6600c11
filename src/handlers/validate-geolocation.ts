/**
 * validate-geolocation: DestinationProposed → GeolocationValidationSucceeded { country }
 * or GeolocationValidationFailed { reason }, written with the destination's checked view.
 * You can't visit somewhere that isn't anywhere: a point outside every country (the open
 * sea) fails. The reverse geocoder is offline data (country-coder), so this stays pure.
 *
 * The view the decider stored with DestinationProposed is exactly `evolve(null, event)`, so it
 * is assumed, not read: the write is conditional on the stored view still being that version.
 * A redelivery (the location already checked) conflicts there, and the stored view is told again.
 */
import { iso1A2Code } from '@rapideditor/country-coder';
import { type Destination, evolve } from '../domain/destination.js';
import type {
  AnyRecord,
  DestinationProposed,
  GeolocationValidationFailed,
  GeolocationValidationSucceeded,
} from '../domain/messages.js';
import { projected } from '../domain/notifications.js';
import { derivedEventId } from '../domain/streams.js';
import { type Handler, nothingToDo } from './handler.js';

export const NOT_IN_ANY_COUNTRY = 'The location is not in any country (open sea?).';

export type GeolocationDecision = GeolocationValidationSucceeded | GeolocationValidationFailed | null;

/** `current` is the destination stream folded so far; null output means nothing to do (already checked). */
export function checkLocation(
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

const isDestinationProposed = (record: AnyRecord): record is DestinationProposed =>
  record.type === 'DestinationProposed';

export const validateGeolocation: Handler<AnyRecord, DestinationProposed, 'destination'> = {
  name: 'validate-geolocation',
  inputs: (records) => records.filter(isDestinationProposed),
  lookUp: (event) => ({ destination: event.data.destinationId }),
  assume: (event) => ({ destination: evolve(null, event) }),
  decide(event, { destination }, now) {
    // No view stored: nothing to check against (and nobody waiting on one).
    if (!destination) return nothingToDo;
    const outcome = checkLocation(event, destination, now);
    if (!outcome) return { writes: [], answers: [projected(event.correlationId, destination)] };
    const checked = evolve(destination, outcome);
    return {
      writes: [
        {
          kind: 'append',
          unit: { records: [outcome], destinations: [{ destination: checked, previousVersion: destination.version }] },
        },
      ],
      answers: [projected(event.correlationId, checked)],
    };
  },
};
