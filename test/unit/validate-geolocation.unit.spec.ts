/**
 * validate-geolocation through the real runner over the in-memory stores: given the proposal's
 * records and the view decide stored with them, when the bus delivers DestinationProposed,
 * then the location's outcome is stored with the checked view and the caller is told.
 */
import { describe, expect, it } from 'vitest';
import { NOT_IN_ANY_COUNTRY, checkLocation, validateGeolocation } from '../../src/handlers/validate-geolocation.js';
import { evolve, type Destination } from '../../src/domain/destination.js';
import type { DestinationProposed } from '../../src/domain/messages.js';
import { derivedEventId } from '../../src/domain/streams.js';
import { given } from '../support/given-when-then.js';

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

/** What decide stored for `event`: the event and the destination's first view. */
const proposalStored = (event: DestinationProposed) => ({ records: [event], views: [stateAfter(event)], now: NOW });

describe('validate-geolocation: a DestinationProposed delivered by the bus', () => {
  it('given Paris, when validated, then GeolocationValidationSucceeded names France, the view is checked and the caller told LOCATION_CHECKED', async () => {
    const event = proposed(48.8566, 2.3522);
    await given(proposalStored(event))
      .when(validateGeolocation, [event])
      .then(({ appended, stored, notifications }) => {
        expect(appended).toEqual([
          {
            streamId: 'destination-d1',
            version: 2,
            kind: 'event',
            type: 'GeolocationValidationSucceeded',
            eventId: derivedEventId('evt-proposed', 'GeolocationValidationSucceeded'),
            correlationId: 'cid-geo',
            causationId: 'evt-proposed',
            time: NOW,
            data: { destinationId: 'd1', country: 'FR' },
          },
        ]);
        expect(stored.records).toEqual([event, appended[0]]);
        const checked = {
          ...stateAfter(event),
          status: 'LOCATION_VALIDATED',
          country: 'FR',
          updatedAt: NOW,
          version: 2,
        };
        expect(stored.views).toEqual([checked]);
        expect(notifications).toEqual([
          { type: 'Projected', correlationId: 'cid-geo', step: 'LOCATION_CHECKED', destination: checked },
        ]);
      });
  });

  it('given Tokyo, when validated, then the country is JP', async () => {
    const event = proposed(35.6895, 139.6917);
    await given(proposalStored(event))
      .when(validateGeolocation, [event])
      .then(({ appended, stored }) => {
        expect(appended.map((record) => record.type)).toEqual(['GeolocationValidationSucceeded']);
        expect(appended[0]?.type === 'GeolocationValidationSucceeded' && appended[0].data.country).toBe('JP');
        expect(stored.views[0]).toMatchObject({ status: 'LOCATION_VALIDATED', country: 'JP' });
      });
  });

  it.each([
    ['the open Atlantic', 30, -40],
    ['Null Island (0, 0)', 0, 0],
  ])(
    'given a point in %s, when validated, then GeolocationValidationFailed with NOT_IN_ANY_COUNTRY, and the view is rejected',
    async (_label, lat, lon) => {
      const event = proposed(lat, lon);
      await given(proposalStored(event))
        .when(validateGeolocation, [event])
        .then(({ appended, stored, notifications }) => {
          expect(appended).toHaveLength(1);
          expect(appended[0]).toMatchObject({
            type: 'GeolocationValidationFailed',
            version: 2,
            eventId: derivedEventId('evt-proposed', 'GeolocationValidationFailed'),
            causationId: 'evt-proposed',
            correlationId: 'cid-geo',
            data: { destinationId: 'd1', reason: NOT_IN_ANY_COUNTRY },
          });
          expect(stored.views).toEqual([
            {
              ...stateAfter(event),
              status: 'LOCATION_REJECTED',
              locationRejectionReason: NOT_IN_ANY_COUNTRY,
              updatedAt: NOW,
              version: 2,
            },
          ]);
          expect(notifications).toMatchObject([
            { step: 'LOCATION_CHECKED', destination: { status: 'LOCATION_REJECTED' } },
          ]);
        });
    },
  );

  it('given a stored view at a later version than assumed, when validated, then its assumption is refused, it looks again, and the outcome is appended at current + 1', async () => {
    const event = proposed(48.8566, 2.3522);
    const current: Destination = { ...stateAfter(event), version: 4 };
    await given({ records: [event], views: [current], now: NOW })
      .when(validateGeolocation, [event])
      .then(({ deliveries, appended, stored }) => {
        expect(deliveries[0]!.refused).toHaveLength(1);
        expect(appended.map((record) => record.version)).toEqual([5]);
        expect(stored.views).toEqual([expect.objectContaining({ status: 'LOCATION_VALIDATED', version: 5 })]);
      });
  });

  it('given no view stored, when validated, then there is nothing to check against: nothing is written and nobody told', async () => {
    const event = proposed(48.8566, 2.3522);
    await given({ records: [event], now: NOW })
      .when(validateGeolocation, [event])
      .then(({ writes, notifications, stored }) => {
        expect(writes).toEqual([]);
        expect(notifications).toEqual([]);
        expect(stored.records).toEqual([event]);
      });
    // The pure check itself, folded from nothing, would follow the delivered event.
    expect(checkLocation(event, null, NOW)?.version).toBe(2);
  });

  it.each([
    ['LOCATION_VALIDATED', { country: 'FR' }],
    ['LOCATION_REJECTED', { locationRejectionReason: NOT_IN_ANY_COUNTRY }],
  ] as const)(
    'given a destination already %s, when validated again, then nothing is written and the caller hears the stored view',
    async (status, fields) => {
      const event = proposed(48.8566, 2.3522);
      const already: Destination = { ...stateAfter(event), ...fields, status, version: 2 };
      await given({ records: [event], views: [already], now: NOW })
        .when(validateGeolocation, [event])
        .then(({ writes, notifications, stored }) => {
          expect(writes).toEqual([]);
          expect(stored.views).toEqual([already]);
          expect(notifications).toEqual([
            { type: 'Projected', correlationId: 'cid-geo', step: 'LOCATION_CHECKED', destination: already },
          ]);
        });
    },
  );

  it('given the same event delivered three times, when validated, then the state is that of one delivery and each delivery tells the same (deterministic id)', async () => {
    const event = proposed(48.8566, 2.3522);
    const once = await given(proposalStored(event)).when(validateGeolocation, [event]);
    expect(once.appended[0]?.eventId).toMatch(/^[0-9a-f-]{36}$/);
    await given(proposalStored(event))
      .when(validateGeolocation, [event], { deliveries: 3 })
      .then(({ stored, deliveries }) => {
        expect(stored).toEqual(once.stored);
        expect(deliveries.map((delivery) => delivery.writes.length)).toEqual([1, 0, 0]);
        for (const delivery of deliveries) expect(delivery.notifications).toEqual(once.notifications);
      });
    // Decided in another place from the same event: the same record.
    const elsewhere = await given(proposalStored(event)).when(validateGeolocation, [event]);
    expect(elsewhere.appended).toEqual(once.appended);
  });
});
