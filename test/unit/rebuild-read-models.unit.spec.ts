import { describe, expect, it } from 'vitest';
import type { DestinationEvent } from '../../src/domain/messages.js';
import { rebuildReadModels } from '../../src/domain/rebuild-read-models.js';

const proposed = (id: string, name: string, time: string): DestinationEvent => ({
  streamId: `destination-${id}`,
  version: 1,
  kind: 'event',
  type: 'DestinationProposed',
  eventId: `e-${id}-1`,
  correlationId: `c-${id}`,
  causationId: `c-${id}`,
  time,
  data: { destinationId: id, name, latitude: 1, longitude: 2 },
});
const validated = (id: string, time: string): DestinationEvent => ({
  streamId: `destination-${id}`,
  version: 2,
  kind: 'event',
  type: 'GeolocationValidationSucceeded',
  eventId: `e-${id}-2`,
  correlationId: `c-${id}`,
  causationId: `e-${id}-1`,
  time,
  data: { destinationId: id, country: 'BE' },
});
const rejected = (id: string, time: string): DestinationEvent => ({
  streamId: `destination-${id}`,
  version: 2,
  kind: 'event',
  type: 'GeolocationValidationFailed',
  eventId: `e-${id}-2`,
  correlationId: `c-${id}`,
  causationId: `e-${id}-1`,
  time,
  data: { destinationId: id, reason: 'open sea' },
});

describe('rebuildReadModels', () => {
  const events = [
    proposed('a', 'A', 'T1'),
    validated('a', 'T2'),
    proposed('b', 'B', 'T3'),
    rejected('b', 'T4'),
    proposed('c', 'C', 'T5'),
  ];

  it('given every event, then each destination is folded from its first event and the recent list holds the visitable ones, newest first', () => {
    const { destinations, recent } = rebuildReadModels(events);
    expect(destinations.map((d) => `${d.id}:${d.status}:${d.version}`)).toEqual([
      'a:LOCATION_VALIDATED:2',
      'b:LOCATION_REJECTED:2',
      'c:PROPOSED:1',
    ]);
    expect(recent.entries.map((d) => d.id)).toEqual(['c', 'a']);
  });

  it('given the same events in any order, then the result is the same', () => {
    expect(rebuildReadModels([...events].reverse())).toEqual(rebuildReadModels(events));
  });

  it('given no events, then there are no read models', () => {
    expect(rebuildReadModels([])).toEqual({ destinations: [], recent: { version: 0, entries: [] } });
  });
});
