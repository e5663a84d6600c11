import { describe, expect, it } from 'vitest';
import { NOT_IN_ANY_COUNTRY, checkLocation } from '../../src/handlers/validate-geolocation.js';
import { evolve, type Destination } from '../../src/domain/destination.js';
import type { DestinationProposed } from '../../src/domain/messages.js';
import { derivedEventId } from '../../src/domain/streams.js';

const PROPOSED_AT = '2026-11-24T10:00:00.000Z';
const NOW = '2026-11-24T10:00:01.000Z';

function proposed(latitude: number, longitude: number): DestinationProposed {
  return {
    streamId: 'destination-d1',
    version: 1,
    kind: 'event',
    type: 'DestinationProposed',
    eventId: 'evt-proposed',
    correlationId: 'cid-geo',
    causationId: 'cmd-1',
    time: PROPOSED_AT,
    data: { destinationId: 'd1', name: 'Somewhere', latitude, longitude },
  };
}

const stateAfter = (event: DestinationProposed): Destination => evolve(null, event);

describe('checkLocation', () => {
  it('given Paris, when validated, then GeolocationValidationSucceeded names France', () => {
    const event = proposed(48.8566, 2.3522);
    const outcome = checkLocation(event, stateAfter(event), NOW);
    expect(outcome).toEqual({
      streamId: 'destination-d1',
      version: 2,
      kind: 'event',
      type: 'GeolocationValidationSucceeded',
      eventId: derivedEventId('evt-proposed', 'GeolocationValidationSucceeded'),
      correlationId: 'cid-geo',
      causationId: 'evt-proposed',
      time: NOW,
      data: { destinationId: 'd1', country: 'FR' },
    });
  });

  it('given Tokyo, when validated, then the country is JP', () => {
    const event = proposed(35.6895, 139.6917);
    const outcome = checkLocation(event, stateAfter(event), NOW);
    expect(outcome?.type).toBe('GeolocationValidationSucceeded');
    expect(outcome?.type === 'GeolocationValidationSucceeded' && outcome.data.country).toBe('JP');
  });

  it.each([
    ['the open Atlantic', 30, -40],
    ['Null Island (0, 0)', 0, 0],
  ])(
    'given a point in %s, when validated, then GeolocationValidationFailed with NOT_IN_ANY_COUNTRY',
    (_label, lat, lon) => {
      const event = proposed(lat, lon);
      const outcome = checkLocation(event, stateAfter(event), NOW);
      expect(outcome).toMatchObject({
        type: 'GeolocationValidationFailed',
        version: 2,
        eventId: derivedEventId('evt-proposed', 'GeolocationValidationFailed'),
        causationId: 'evt-proposed',
        correlationId: 'cid-geo',
        data: { destinationId: 'd1', reason: NOT_IN_ANY_COUNTRY },
      });
    },
  );

  it('given a current state at a later version, when validated, then the outcome is appended at current + 1', () => {
    const event = proposed(48.8566, 2.3522);
    const current: Destination = { ...stateAfter(event), version: 4 };
    expect(checkLocation(event, current, NOW)?.version).toBe(5);
  });

  it('given no folded state yet, when validated, then the outcome follows the delivered event', () => {
    expect(checkLocation(proposed(48.8566, 2.3522), null, NOW)?.version).toBe(2);
  });

  it.each(['LOCATION_VALIDATED', 'LOCATION_REJECTED'] as const)(
    'given a destination already %s, when validated again, then there is nothing to do (null)',
    (status) => {
      const event = proposed(48.8566, 2.3522);
      expect(checkLocation(event, { ...stateAfter(event), status, version: 2 }, NOW)).toBeNull();
    },
  );

  it('given the same event validated twice, when compared, then the output is identical (deterministic id)', () => {
    const event = proposed(48.8566, 2.3522);
    const first = checkLocation(event, stateAfter(event), NOW);
    const second = checkLocation(event, stateAfter(event), NOW);
    expect(second).toEqual(first);
    expect(first?.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
