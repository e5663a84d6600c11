/**
 * Which handler consumes which record types and what it emits: the one declaration
 * that drives both the local router and the AWS wiring (event source mapping filters
 * and EventBridge rules). Adding a handler is adding a route here plus its function.
 */
import type { RecordType } from '../domain/messages.js';

/**
 * `stream`: read straight from the event table's stream (on the mutation's critical path).
 * `bus`: through EventBridge. `read-model-stream`: changes of a read-model item, from the
 * read-model table's stream. `object-created`: the site bucket's object-created notifications.
 */
export type Delivery = 'stream' | 'bus' | 'read-model-stream' | 'object-created';

/**
 * What a handler's function touches. The AWS stack derives each function's IAM grants
 * (least privilege) and its network placement from this list: `notifications` means it
 * talks to Redis, so it runs in the VPC beside the cache; nothing else does.
 */
export type Capability =
  | 'events:read'
  | 'events:append'
  | 'read-models:read'
  | 'read-models:write'
  | 'notifications'
  /** Read and conditionally write the homepage object in the site bucket. */
  | 'site:write'
  /** Read the homepage object's metadata (HEAD), nothing else: the trace of the write that published it. */
  | 'site:read'
  /** Invalidate paths of the site's CloudFront distribution. */
  | 'cdn:invalidate'
  /** Record publications in the homepage's publication history, one read-model item, and nothing else. */
  | 'publications:write';

/** A handler of event-table records (commands and events). */
export interface Route {
  readonly handler: string;
  readonly delivery: 'stream' | 'bus';
  readonly consumes: readonly RecordType[];
  readonly emits: readonly RecordType[];
  readonly uses: readonly Capability[];
  /**
   * Stream delivery only: how many records one invocation takes, and how many batches of
   * one shard run at once (Lambda's ParallelizationFactor: records of one partition key
   * always go to the same batch, so each stream keeps its order).
   */
  readonly batching?: {
    readonly batchSize: number;
    readonly parallelizationFactor: number;
    readonly retryAttempts: number;
  };
}

/**
 * A handler fed by changes of one read-model item. On AWS: an event source mapping on the
 * read-model table's stream, with `filter` as its filter criteria and `batching` as its
 * settings; locally the same filter and window drive the local mapping.
 */
export interface ReadModelStreamRoute {
  readonly handler: string;
  readonly delivery: 'read-model-stream';
  readonly source: { readonly table: 'read-models'; readonly streamViewType: 'KEYS_ONLY' };
  /** Lambda event filter pattern (exact values). */
  readonly filter: {
    readonly eventName: readonly string[];
    readonly dynamodb: {
      readonly Keys: { readonly pk: { readonly S: readonly (string | { readonly prefix: string })[] } };
    };
  };
  readonly batching: {
    readonly batchSize: number;
    /** Changes arriving within the window reach one invocation: renders coalesce. */
    readonly maximumBatchingWindowInSeconds: number;
    /** 1: a shard's batches run one after another, so writes happen in stream order. */
    readonly parallelizationFactor: 1;
    readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
    readonly retryAttempts: number;
  };
  /** Invoked once with no records on every deployment, so what it builds exists before the first change. */
  readonly invokeOnDeploy: boolean;
  readonly uses: readonly Capability[];
}

/** A handler fed by a bucket's object-created notifications (S3 → Lambda, asynchronous invoke). */
export interface ObjectCreatedRoute {
  readonly handler: string;
  readonly delivery: 'object-created';
  readonly source: { readonly bucket: 'site' };
  /** S3 notification event types. */
  readonly events: readonly ['s3:ObjectCreated:*'];
  readonly uses: readonly Capability[];
}

export type AnyRoute = Route | ReadModelStreamRoute | ObjectCreatedRoute;

/** The read-model item whose changes re-render the homepage. */
export const RECENT_DESTINATIONS_KEY = 'recent-destinations';
/** The read-model item holding the homepage's publication history (no route consumes its changes). */
export const PUBLICATIONS_KEY = 'homepage-publications';
/** Every destination view's key starts so; its changes feed the recent-destinations list. */
export const DESTINATION_KEY_PREFIX = 'destination#';

/** The EventBridge `source` the fan-out stamps on every entry. */
export const EVENT_SOURCE = 'visitplannr.event-table';

export const topology = [
  {
    handler: 'decide',
    delivery: 'stream',
    consumes: ['ProposeDestination'],
    emits: ['DestinationProposed', 'CommandAccepted', 'CommandRejected'],
    // Writes each destination's first view with its event (inline projection), so it answers PROPOSED itself.
    uses: ['events:read', 'events:append', 'read-models:read', 'read-models:write', 'notifications'],
    // A batch is one transaction per 33 commands; commands are independent streams, so batches may run side by side.
    batching: { batchSize: 100, parallelizationFactor: 4, retryAttempts: 5 },
  },
  {
    handler: 'validate-geolocation',
    delivery: 'bus',
    consumes: ['DestinationProposed'],
    emits: ['GeolocationValidationSucceeded', 'GeolocationValidationFailed'],
    // Writes the destination's checked view with its event (inline projection) and answers LOCATION_CHECKED.
    uses: ['events:append', 'read-models:read', 'read-models:write', 'notifications'],
  },
  {
    handler: 'project-recent',
    delivery: 'read-model-stream',
    source: { table: 'read-models', streamViewType: 'KEYS_ONLY' },
    filter: {
      eventName: ['INSERT', 'MODIFY'],
      dynamodb: { Keys: { pk: { S: [{ prefix: DESTINATION_KEY_PREFIX }] } } },
    },
    // One write of the list per batch, whatever the mutation rate: at most one per shard per window.
    batching: {
      batchSize: 1000,
      maximumBatchingWindowInSeconds: 1,
      parallelizationFactor: 1,
      startingPosition: 'TRIM_HORIZON',
      retryAttempts: 10,
    },
    invokeOnDeploy: false,
    uses: ['read-models:read', 'read-models:write'],
  },
  {
    handler: 'render-homepage',
    delivery: 'read-model-stream',
    source: { table: 'read-models', streamViewType: 'KEYS_ONLY' },
    filter: { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { pk: { S: [RECENT_DESTINATIONS_KEY] } } } },
    batching: {
      batchSize: 100,
      maximumBatchingWindowInSeconds: 1,
      parallelizationFactor: 1,
      startingPosition: 'LATEST',
      retryAttempts: 5,
    },
    invokeOnDeploy: true,
    // Records each page it writes in the publication history (a command's journey reads it).
    uses: ['read-models:read', 'site:write', 'publications:write'],
  },
  {
    handler: 'invalidate-cdn',
    delivery: 'object-created',
    source: { bucket: 'site' },
    events: ['s3:ObjectCreated:*'],
    // Marks each homepage invalidated in the publication history; reads the page's trace (tracing on only).
    uses: ['cdn:invalidate', 'publications:write', 'site:read'],
  },
] as const satisfies readonly AnyRoute[];

export type HandlerName = (typeof topology)[number]['handler'];
export type BusHandlerName = Extract<(typeof topology)[number], { delivery: 'bus' }>['handler'];
export type StreamHandlerName = Extract<(typeof topology)[number], { delivery: 'stream' }>['handler'];

/** An EventBridge event pattern (the subset this project uses: exact values). */
export interface EventPattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
}

export type ReadModelStreamHandlerName = Extract<
  (typeof topology)[number],
  { delivery: 'read-model-stream' }
>['handler'];
export type ObjectCreatedHandlerName = Extract<(typeof topology)[number], { delivery: 'object-created' }>['handler'];

export const busRoutes = (routes: readonly AnyRoute[] = topology): Route[] =>
  routes.filter((route): route is Route => route.delivery === 'bus');
export const streamRoutes = (routes: readonly AnyRoute[] = topology): Route[] =>
  routes.filter((route): route is Route => route.delivery === 'stream');
export const readModelStreamRoutes = (routes: readonly AnyRoute[] = topology): ReadModelStreamRoute[] =>
  routes.filter((route): route is ReadModelStreamRoute => route.delivery === 'read-model-stream');
export const objectCreatedRoutes = (routes: readonly AnyRoute[] = topology): ObjectCreatedRoute[] =>
  routes.filter((route): route is ObjectCreatedRoute => route.delivery === 'object-created');

/** The one route of a handler, or a clear error when the topology lacks it. */
export function routeOf<R extends AnyRoute>(routes: readonly R[], handler: string): R {
  const route = routes.find((candidate) => candidate.handler === handler);
  if (!route) throw new Error(`the topology has no route for ${handler}`);
  return route;
}

/** The rule pattern that delivers a bus route's records; the detail type is the record type. */
export const rulePatternFor = (route: Route): EventPattern => ({
  source: [EVENT_SOURCE],
  'detail-type': [...route.consumes],
});

/** The record types the fan-out must forward to the bus: exactly what some bus route consumes. */
export function typesForwardedToBus(routes: readonly AnyRoute[] = topology): Set<string> {
  return new Set(busRoutes(routes).flatMap((route) => route.consumes));
}

/** The Lambda event-source-mapping filter for a stream route: new records of the consumed types. */
export function streamFilterFor(route: Route): {
  eventName: string[];
  dynamodb: { NewImage: { type: { S: string[] } } };
} {
  return { eventName: ['INSERT'], dynamodb: { NewImage: { type: { S: [...route.consumes] } } } };
}

/** Matches an EventBridge event against a pattern the way EventBridge does for exact-value patterns. */
export function matchesPattern(pattern: EventPattern, event: { source: string; 'detail-type': string }): boolean {
  return pattern.source.includes(event.source) && pattern['detail-type'].includes(event['detail-type']);
}
