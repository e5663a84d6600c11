import type { Destination } from '../../src/domain/destination.js';

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
