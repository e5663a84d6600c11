/**
 * Which handler consumes which record types and what it emits: the one declaration
 * that drives both the local router and the AWS wiring (event source mapping filters
 * and EventBridge rules). Adding a handler is adding a route here plus its function.
 */
import type { RecordType } from '../domain/messages.js';

/** `stream`: read straight from the table's stream (on the mutation's critical path). `bus`: through EventBridge. */
export type Delivery = 'stream' | 'bus';

/**
 * What a handler's function touches. The AWS stack derives each function's IAM grants
 * (least privilege) and its network placement from this list: `notifications` means it
 * talks to Redis, so it runs in the VPC beside the cache; nothing else does.
 */
export type Capability = 'events:read' | 'events:append' | 'read-models:read' | 'read-models:write' | 'notifications';

export interface Route {
  readonly handler: string;
  readonly delivery: Delivery;
  readonly consumes: readonly RecordType[];
  readonly emits: readonly RecordType[];
  readonly uses: readonly Capability[];
}

/** The EventBridge `source` the fan-out stamps on every entry. */
export const EVENT_SOURCE = 'visitplannr.event-table';

export const topology = [
  {
    handler: 'decide',
    delivery: 'stream',
    consumes: ['ProposeDestination'],
    emits: ['DestinationProposed', 'CommandAccepted', 'CommandRejected'],
    uses: ['events:read', 'events:append', 'notifications'],
  },
  {
    handler: 'validate-geolocation',
    delivery: 'bus',
    consumes: ['DestinationProposed'],
    emits: ['GeolocationValidationSucceeded', 'GeolocationValidationFailed'],
    uses: ['events:read', 'events:append', 'notifications'],
  },
  {
    handler: 'project',
    delivery: 'bus',
    consumes: ['DestinationProposed', 'GeolocationValidationSucceeded', 'GeolocationValidationFailed'],
    emits: [],
    uses: ['events:read', 'read-models:read', 'read-models:write', 'notifications'],
  },
] as const satisfies readonly Route[];

export type HandlerName = (typeof topology)[number]['handler'];
export type BusHandlerName = Extract<(typeof topology)[number], { delivery: 'bus' }>['handler'];
export type StreamHandlerName = Extract<(typeof topology)[number], { delivery: 'stream' }>['handler'];

/** An EventBridge event pattern (the subset this project uses: exact values). */
export interface EventPattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
}

export const busRoutes = (routes: readonly Route[] = topology): Route[] => routes.filter((route) => route.delivery === 'bus');
export const streamRoutes = (routes: readonly Route[] = topology): Route[] => routes.filter((route) => route.delivery === 'stream');

/** The rule pattern that delivers a bus route's records; the detail type is the record type. */
export const rulePatternFor = (route: Route): EventPattern => ({ source: [EVENT_SOURCE], 'detail-type': [...route.consumes] });

/** The record types the fan-out must forward to the bus: exactly what some bus route consumes. */
export function typesForwardedToBus(routes: readonly Route[] = topology): Set<string> {
  return new Set(busRoutes(routes).flatMap((route) => route.consumes));
}

/** The Lambda event-source-mapping filter for a stream route: new records of the consumed types. */
export function streamFilterFor(route: Route): { eventName: string[]; dynamodb: { NewImage: { type: { S: string[] } } } } {
  return { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: [...route.consumes] } } } };
}

/** Matches an EventBridge event against a pattern the way EventBridge does for exact-value patterns. */
export function matchesPattern(pattern: EventPattern, event: { source: string; 'detail-type': string }): boolean {
  return pattern.source.includes(event.source) && pattern['detail-type'].includes(event['detail-type']);
}
