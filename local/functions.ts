/**
 * The topology's handler functions, run in process the way Lambda would run them: each built
 * by the composition root with what its route uses, then given the emulator's controls
 * (pause, injected faults) and, for the renderer, the site bucket that records its writes.
 */
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, S3Event } from 'aws-lambda';
import type { App } from '../src/shell/composition.js';
import type { BusEvent } from '../src/shell/runner/deliveries.js';
import type { SiteBucket } from '../src/ports/index.js';
import { type AnyRoute, type HandlerName, topology } from '../src/topology/topology.js';
import { type FaultInjector, withFaults } from './faults.js';
import { type LocalFunction, localFunction } from './local-function.js';

export type StreamLocalFunction = LocalFunction<DynamoDBStreamEvent, DynamoDBBatchResponse>;
export type AnyLocalFunction = LocalFunction<never, unknown>;

export interface HandlerControls {
  /** Invocations wait until resume(), as for a throttled function. */
  pause(): void;
  resume(): void;
  /** The handler's next `count` event-store calls throw, exercising its failure path. */
  failNext(count: number): void;
  /** Resumed, with no fault armed. */
  reset(): void;
}

export interface LocalHandlerFunction {
  readonly route: AnyRoute;
  readonly fn: LocalFunction<never, unknown>;
  /** Present when the route uses the event store. */
  readonly faults?: FaultInjector;
}

export function startHandlerFunctions(app: App, site: SiteBucket): Map<HandlerName, LocalHandlerFunction> {
  const functions = new Map<HandlerName, LocalHandlerFunction>();
  for (const route of topology) {
    const deps = app.handlerDependencies(route);
    const faulty = deps.eventStore ? withFaults(deps.eventStore, route.handler) : undefined;
    const handler = app.handlerFunction(route, {
      ...deps,
      ...(faulty ? { eventStore: faulty.store } : {}),
      ...(deps.site ? { site } : {}),
    }) as (event: never) => Promise<unknown>;
    // A read-model route's shard runs one batch at a time, as its parallelization factor says.
    const concurrency = route.delivery === 'read-model-stream' ? route.batching.parallelizationFactor : 8;
    functions.set(route.handler, {
      route,
      fn: localFunction(route.handler, handler, { concurrency }),
      ...(faulty ? { faults: faulty.injector } : {}),
    });
  }
  return functions;
}

export const controlsOf = ({ fn, faults }: LocalHandlerFunction): HandlerControls => ({
  pause: () => fn.pause(),
  resume: () => fn.resume(),
  failNext: (count) => {
    if (!faults) throw new Error(`${fn.name} uses no event store to fail`);
    faults.failNext(count);
  },
  reset: () => {
    fn.resume();
    faults?.failNext(0);
  },
});

export const asStreamFunction = (fn: AnyLocalFunction) => fn as unknown as StreamLocalFunction;
export const asBusFunction = (fn: AnyLocalFunction) => fn as unknown as LocalFunction<BusEvent, void>;
export const asObjectCreatedFunction = (fn: AnyLocalFunction) => fn as unknown as LocalFunction<S3Event, void>;
