import type { Destination } from '../../src/domain/destination.js';
import { RECENT_CAPACITY } from '../../src/domain/recent-destinations.js';

/** An ISO time on the test day, `minute` minutes past 10:00. */
export const at = (minute: number): string => `2026-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`;

/** A destination's view as stored, proposed at `minute`; overrides for its later states. */
export function destination(id: string, minute: number, overrides: Partial<Destination> = {}): Destination {
  return {
    id,
    name: `Place ${id}`,
    latitude: 1,
    longitude: 2,
    status: 'PROPOSED',
    country: null,
    locationRejectionReason: null,
    proposedAt: at(minute),
    updatedAt: at(minute),
    version: 1,
    ...overrides,
  };
}

/** A validated destination at a point, as the map and the page show it. */
export const placeAt = (id: string, name: string, latitude: number, longitude: number): Destination =>
  destination(id, 0, { name, latitude, longitude, status: 'LOCATION_VALIDATED', country: 'BE', version: 2 });

/** The heaviest list the projection holds: every slot taken, spread over the map; `nameOf` sets the names. */
export const fullRecentList = (nameOf: (i: number) => string = (i) => `Destination ${i}`): Destination[] =>
  Array.from({ length: RECENT_CAPACITY }, (_, i) =>
    placeAt(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, nameOf(i), -60 + i * 2.5, -170 + i * 7),
  );
