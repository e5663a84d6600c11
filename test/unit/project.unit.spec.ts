import { describe, expect, it } from 'vitest';
import { evolve, fold, OutOfOrderEventError } from '../../src/domain/destination.js';
import type {
  DestinationProposed,
  GeolocationValidationFailed,
  GeolocationValidationSucceeded,
} from '../../src/domain/messages.js';
import { notificationFor, project } from '../../src/handlers/project.js';

const T1 = '2026-11-24T10:00:00.000Z';
const T2 = '2026-11-24T10:00:02.000Z';
const meta = { streamId: 'destination-d1', kind: 'event', correlationId: 'cid-p', causationId: 'cause' } as const;

const proposed: DestinationProposed = {
  ...meta,
  version: 1,
  type: 'DestinationProposed',
  eventId: 'e1',
  time: T1,
  data: { destinationId: 'd1', name: 'Lisbon', latitude: 38.72, longitude: -9.14 },
};
const succeeded: GeolocationValidationSucceeded = {
  ...meta,
  version: 2,
  type: 'GeolocationValidationSucceeded',
  eventId: 'e2',
  time: T2,
  data: { destinationId: 'd1', country: 'PT' },
};
const failed: GeolocationValidationFailed = {
  ...meta,
  version: 2,
  type: 'GeolocationValidationFailed',
  eventId: 'e2f',
  time: T2,
  data: { destinationId: 'd1', reason: 'open sea' },
};

describe('destination fold', () => {
  it('given DestinationProposed, when evolved from nothing, then the destination is PROPOSED at version 1', () => {
    expect(evolve(null, proposed)).toEqual({
      id: 'd1',
      name: 'Lisbon',
      latitude: 38.72,
      longitude: -9.14,
      status: 'PROPOSED',
      country: null,
      locationRejectionReason: null,
      proposedAt: T1,
      updatedAt: T1,
      version: 1,
    });
  });

  it('given a successful validation, when folded, then it is LOCATION_VALIDATED with the country and a new updatedAt', () => {
    expect(fold(null, [proposed, succeeded])).toMatchObject({
      status: 'LOCATION_VALIDATED',
      country: 'PT',
      locationRejectionReason: null,
      proposedAt: T1,
      updatedAt: T2,
      version: 2,
    });
  });

  it('given a failed validation, when folded, then it is LOCATION_REJECTED with the reason and no country', () => {
    expect(fold(null, [proposed, failed])).toMatchObject({
      status: 'LOCATION_REJECTED',
      country: null,
      locationRejectionReason: 'open sea',
      updatedAt: T2,
      version: 2,
    });
  });

  it('given no events, when folded, then the state is unchanged', () => {
    expect(fold(null, [])).toBeNull();
  });

  it('given a gap in the stream, when folded, then OutOfOrderEventError names the expected and actual versions', () => {
    expect(() => fold(null, [succeeded])).toThrow(OutOfOrderEventError);
    try {
      fold(null, [{ ...proposed, version: 3 }]);
      expect.unreachable('fold should have thrown');
    } catch (error) {
      expect(error).toBeInstanceOf(OutOfOrderEventError);
      expect(error).toMatchObject({ streamId: 'destination-d1', expectedVersion: 1, actualVersion: 3 });
    }
  });

  it('given an event replayed at a version already folded, when evolved, then it throws rather than going backwards', () => {
    const state = fold(null, [proposed, succeeded]);
    expect(() => evolve(state, failed)).toThrow(OutOfOrderEventError);
  });
});

describe('project', () => {
  it('given nothing stored and every event, when projected, then the full read model is returned', () => {
    const decision = project(succeeded, null, [proposed, succeeded]);
    expect(decision.destination).toMatchObject({ id: 'd1', status: 'LOCATION_VALIDATED', country: 'PT', version: 2 });
  });

  it('given a stored model already at version 2, when events 1 and 2 are redelivered, then there is nothing to store but still a notification', () => {
    const stored = fold(null, [proposed, succeeded]);
    const decision = project(proposed, stored, [proposed, succeeded]);
    expect(decision.destination).toBeNull();
    expect(decision.notification).toEqual({ type: 'Projected', correlationId: 'cid-p', step: 'PROPOSED', destinationId: 'd1', version: 1 });
  });

  it('given a stored model at version 1, when the early-delivered event 1 arrives with event 2 in the table, then it catches up to version 2', () => {
    const stored = fold(null, [proposed]);
    const decision = project(proposed, stored, [succeeded]);
    expect(decision.destination).toMatchObject({ status: 'LOCATION_VALIDATED', version: 2 });
    expect(decision.notification).toMatchObject({ step: 'PROPOSED', version: 1 });
  });
});

describe('notificationFor', () => {
  it('given DestinationProposed, then the step is PROPOSED', () => {
    expect(notificationFor(proposed)).toEqual({ type: 'Projected', correlationId: 'cid-p', destinationId: 'd1', version: 1, step: 'PROPOSED' });
  });

  it.each([succeeded, failed])('given $type, then the step is LOCATION_CHECKED', (event) => {
    expect(notificationFor(event)).toEqual({ type: 'Projected', correlationId: 'cid-p', destinationId: 'd1', version: 2, step: 'LOCATION_CHECKED' });
  });
});
