import { describe, expect, it } from 'vitest';
import { isTerminalFor, type Notification } from '../../src/domain/notifications.js';
import {
  busRoutes,
  EVENT_SOURCE,
  matchesPattern,
  rulePatternFor,
  streamFilterFor,
  streamRoutes,
  topology,
  typesForwardedToBus,
  readModelStreamRoutes,
  objectCreatedRoutes,
  PUBLICATIONS_KEY,
  type AnyRoute,
  type Route,
} from '../../src/topology/topology.js';
import { matchesStreamFilter } from '../../local/stream-filter.js';

describe('isTerminalFor', () => {
  const view = {
    id: 'd',
    name: 'D',
    latitude: 1,
    longitude: 2,
    status: 'PROPOSED',
    country: null,
    locationRejectionReason: null,
    proposedAt: 'T1',
    updatedAt: 'T1',
    version: 1,
  } as const;
  const projected = (step: 'PROPOSED' | 'LOCATION_CHECKED'): Notification => ({
    type: 'Projected',
    correlationId: 'c',
    step,
    destination: step === 'PROPOSED' ? view : { ...view, status: 'LOCATION_VALIDATED', country: 'BE', version: 2 },
  });
  const rejected: Notification = { type: 'Rejected', correlationId: 'c', problems: [] };
  const failed: Notification = { type: 'HandlerFailed', correlationId: 'c', handler: 'decide', message: 'boom' };

  it.each(['PROPOSED', 'LOCATION_CHECKED'] as const)(
    'given a rejection or handler failure, when waiting for %s, then the wait ends',
    (waitFor) => {
      expect(isTerminalFor(rejected, waitFor)).toBe(true);
      expect(isTerminalFor(failed, waitFor)).toBe(true);
    },
  );

  it('given Projected at PROPOSED, then it ends a wait for PROPOSED but not for LOCATION_CHECKED', () => {
    expect(isTerminalFor(projected('PROPOSED'), 'PROPOSED')).toBe(true);
    expect(isTerminalFor(projected('PROPOSED'), 'LOCATION_CHECKED')).toBe(false);
  });

  it('given Projected at LOCATION_CHECKED, then it ends a wait for either step', () => {
    expect(isTerminalFor(projected('LOCATION_CHECKED'), 'PROPOSED')).toBe(true);
    expect(isTerminalFor(projected('LOCATION_CHECKED'), 'LOCATION_CHECKED')).toBe(true);
  });
});

describe('topology', () => {
  it('given the topology, then every route has exactly one delivery kind', () => {
    expect(
      busRoutes().length + streamRoutes().length + readModelStreamRoutes().length + objectCreatedRoutes().length,
    ).toBe(topology.length);
    expect(streamRoutes().map((route) => route.handler)).toEqual(['decide']);
  });

  it('given the event-table routes, then the handlers that answer write their views inline and nothing else projects from the bus', () => {
    expect([...streamRoutes(), ...busRoutes()]).toEqual([
      {
        handler: 'decide',
        delivery: 'stream',
        consumes: ['ProposeDestination'],
        emits: ['DestinationProposed', 'CommandAccepted', 'CommandRejected'],
        uses: ['events:read', 'events:append', 'read-models:read', 'read-models:write', 'notifications'],
        batching: { batchSize: 100, parallelizationFactor: 4, retryAttempts: 5 },
      },
      {
        handler: 'validate-geolocation',
        delivery: 'bus',
        consumes: ['DestinationProposed'],
        emits: ['GeolocationValidationSucceeded', 'GeolocationValidationFailed'],
        uses: ['events:append', 'read-models:read', 'read-models:write', 'notifications'],
      },
    ]);
  });

  it('given the read-model stream, then two handlers read it (a shard tolerates two): the recent list from destination changes, the homepage from the list', () => {
    expect(readModelStreamRoutes().map((route) => route.handler)).toEqual(['project-recent', 'render-homepage']);
    const change = (eventName: string, pk: string) => ({ eventName, dynamodb: { Keys: { pk: { S: pk } } } });
    const recentRoute = readModelStreamRoutes()[0];
    expect(recentRoute?.batching.parallelizationFactor).toBe(1);
    expect(recentRoute?.batching.maximumBatchingWindowInSeconds).toBeGreaterThan(0);
    expect(matchesStreamFilter(recentRoute?.filter, change('INSERT', 'destination#d1'))).toBe(true);
    expect(matchesStreamFilter(recentRoute?.filter, change('MODIFY', 'destination#d1'))).toBe(true);
    expect(matchesStreamFilter(recentRoute?.filter, change('MODIFY', 'recent-destinations'))).toBe(false);
    expect(matchesStreamFilter(recentRoute?.filter, change('REMOVE', 'destination#d1'))).toBe(false);
  });

  it('given the render-homepage route, then it reads changes of the recent-destinations item in order, batched', () => {
    const route = readModelStreamRoutes()[1];
    expect(route?.handler).toBe('render-homepage');
    expect(route?.invokeOnDeploy).toBe(true);
    expect(route?.source).toEqual({ table: 'read-models', streamViewType: 'KEYS_ONLY' });
    expect(route?.batching.parallelizationFactor).toBe(1);
    expect(route?.batching.maximumBatchingWindowInSeconds).toBeGreaterThan(0);
    const change = (eventName: string, pk: string) => ({ eventName, dynamodb: { Keys: { pk: { S: pk } } } });
    expect(matchesStreamFilter(route?.filter, change('MODIFY', 'recent-destinations'))).toBe(true);
    expect(matchesStreamFilter(route?.filter, change('INSERT', 'recent-destinations'))).toBe(true);
    expect(matchesStreamFilter(route?.filter, change('MODIFY', 'destination#d1'))).toBe(false);
    expect(matchesStreamFilter(route?.filter, change('REMOVE', 'recent-destinations'))).toBe(false);
    // Its own record of what it published does not feed it (nor the recent list) again.
    for (const reader of readModelStreamRoutes())
      expect(matchesStreamFilter(reader.filter, change('MODIFY', PUBLICATIONS_KEY))).toBe(false);
  });

  it('given the invalidate-cdn route, then it is fed by the site bucket, not by the renderer', () => {
    expect(objectCreatedRoutes()).toEqual([
      {
        handler: 'invalidate-cdn',
        delivery: 'object-created',
        source: { bucket: 'site' },
        events: ['s3:ObjectCreated:*'],
        uses: ['cdn:invalidate', 'publications:write', 'site:read'],
      },
    ]);
  });

  it('given every bus route, when its rule pattern is built, then it selects EVENT_SOURCE and its consumed types', () => {
    expect(busRoutes().length).toBeGreaterThan(0);
    for (const route of busRoutes()) {
      expect(rulePatternFor(route)).toEqual({ source: [EVENT_SOURCE], 'detail-type': [...route.consumes] });
    }
    expect(EVENT_SOURCE).toBe('visitplannr.event-table');
  });

  it('given the topology, then the types forwarded to the bus are the union of what bus routes consume', () => {
    const union = new Set(busRoutes().flatMap((route) => [...route.consumes]));
    expect(typesForwardedToBus()).toEqual(union);
    expect([...typesForwardedToBus()]).toEqual(['DestinationProposed']);
    expect(typesForwardedToBus().has('ProposeDestination')).toBe(false);
    expect(typesForwardedToBus().has('CommandAccepted')).toBe(false);
  });

  it('given a hypothetical extra bus route, when passed as routes, then its consumed types are forwarded too', () => {
    const extra: Route = {
      handler: 'audit',
      delivery: 'bus',
      consumes: ['CommandRejected'],
      emits: [],
      uses: ['events:read'],
    };
    const routes: AnyRoute[] = [...topology, extra];
    expect(typesForwardedToBus(routes).has('CommandRejected')).toBe(true);
    expect(typesForwardedToBus().has('CommandRejected')).toBe(false);
    expect(busRoutes(routes).map((route) => route.handler)).toContain('audit');
  });

  it('given a hypothetical extra stream route, when passed as routes, then nothing more is forwarded to the bus', () => {
    const extra: Route = {
      handler: 'audit',
      delivery: 'stream',
      consumes: ['CommandRejected'],
      emits: [],
      uses: ['events:read'],
    };
    expect(typesForwardedToBus([...topology, extra])).toEqual(typesForwardedToBus());
  });
});

describe('matchesPattern', () => {
  const validateRoute = topology.find((route) => route.handler === 'validate-geolocation');
  if (!validateRoute) throw new Error('validate-geolocation route missing');
  const pattern = rulePatternFor(validateRoute);

  it('given an event of a consumed type from the event source, then it matches', () => {
    expect(matchesPattern(pattern, { source: EVENT_SOURCE, 'detail-type': 'DestinationProposed' })).toBe(true);
  });

  it('given another detail type or another source, then it does not match', () => {
    expect(matchesPattern(pattern, { source: EVENT_SOURCE, 'detail-type': 'GeolocationValidationSucceeded' })).toBe(
      false,
    );
    expect(matchesPattern(pattern, { source: 'someone.else', 'detail-type': 'DestinationProposed' })).toBe(false);
  });
});

describe('streamFilterFor + matchesStreamFilter', () => {
  const decideRoute = streamRoutes()[0];
  if (!decideRoute) throw new Error('decide route missing');
  const filter = streamFilterFor(decideRoute);
  const record = (eventName: string, type: string) => ({
    eventName,
    eventID: 'ignored-extra-field',
    dynamodb: { NewImage: { type: { S: type }, streamId: { S: 'command-c' } } },
  });

  it('given a new ProposeDestination record, when filtered, then it matches', () => {
    expect(filter).toEqual({ eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: ['ProposeDestination'] } } } });
    expect(matchesStreamFilter(filter, record('INSERT', 'ProposeDestination'))).toBe(true);
  });

  it('given a MODIFY or REMOVE of the same type, when filtered, then it does not match', () => {
    expect(matchesStreamFilter(filter, record('MODIFY', 'ProposeDestination'))).toBe(false);
    expect(matchesStreamFilter(filter, record('REMOVE', 'ProposeDestination'))).toBe(false);
  });

  it('given a new record of another type, when filtered, then it does not match', () => {
    expect(matchesStreamFilter(filter, record('INSERT', 'DestinationProposed'))).toBe(false);
  });

  it('given a record without a NewImage, when filtered, then it does not match', () => {
    expect(matchesStreamFilter(filter, { eventName: 'INSERT', dynamodb: {} })).toBe(false);
    expect(matchesStreamFilter(filter, null)).toBe(false);
  });
});
