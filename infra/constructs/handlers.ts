/**
 * One function per route of the topology, wired by its delivery kind: `stream` routes
 * read the event table's stream through a filtered event source mapping, `bus` routes
 * get one EventBridge rule each, whose pattern comes from the same declaration the
 * local stack routes with. Adding a route adds its function, rule, queue and alarms;
 * a new delivery kind is a type error here until it is wired.
 */
import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { type Delivery, type Route, rulePatternFor, streamFilterFor } from '../../src/topology/topology.js';
import { type CapabilityResources, grantCapabilities, runtimeFor } from './capabilities.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { LAMBDA_ENTRY_DIR } from './paths.js';
import { ServiceFunction } from './service-function.js';
import { readStream } from './stream-settings.js';

export interface HandlersProps {
  readonly routes: readonly Route[];
  readonly resources: CapabilityResources;
  readonly bus: IEventBus;
}

export interface WiredHandler {
  readonly route: Route;
  readonly function: ServiceFunction;
  readonly deadLetters: DeadLetterQueue;
  /** Set for bus routes. */
  readonly rule?: Rule;
}

type Wire = (scope: Construct, route: Route, deadLetters: DeadLetterQueue, props: HandlersProps) => Omit<WiredHandler, 'route' | 'deadLetters'>;

const wiring: Record<Delivery, Wire> = {
  stream(scope, route, deadLetters, props) {
    const fn = handlerFunction(scope, route, props, { entry: `${LAMBDA_ENTRY_DIR}${route.handler}.ts` });
    readStream(fn, props.resources.tables.events, { filter: streamFilterFor(route), batchSize: 10, deadLetterQueue: deadLetters.queue });
    return { function: fn };
  },
  bus(scope, route, deadLetters, props) {
    const fn = handlerFunction(scope, route, props, {
      entry: `${LAMBDA_ENTRY_DIR}bus-handler.ts`,
      environment: { HANDLER_NAME: route.handler },
      // EventBridge invokes asynchronously: Lambda retries a failed invocation, then dead-letters it.
      asyncFailures: { retryAttempts: 2, maxEventAge: Duration.hours(1), deadLetterQueue: deadLetters.queue },
    });
    const pattern = rulePatternFor(route);
    const rule = new Rule(scope, `${pascal(route.handler)}Rule`, {
      eventBus: props.bus,
      description: `${pattern['detail-type'].join(', ')} -> ${route.handler}`,
      eventPattern: { source: [...pattern.source], detailType: [...pattern['detail-type']] },
      // Delivery failures (throttling, a missing permission) retry, then land in the same queue.
      targets: [new LambdaFunction(fn.fn, { deadLetterQueue: deadLetters.queue, retryAttempts: 4, maxEventAge: Duration.hours(2) })],
    });
    return { function: fn, rule };
  },
};

function handlerFunction(
  scope: Construct,
  route: Route,
  props: HandlersProps,
  options: { entry: string; environment?: Record<string, string>; asyncFailures?: ConstructorParameters<typeof ServiceFunction>[2]['asyncFailures'] },
): ServiceFunction {
  const runtime = runtimeFor(props.resources, route.uses);
  const fn = new ServiceFunction(scope, `${pascal(route.handler)}Function`, {
    entry: options.entry,
    description: `visitplannr ${route.handler} (${route.delivery}: ${route.consumes.join(', ')})`,
    environment: { ...runtime.environment, ...options.environment },
    ...(runtime.placement ? { placement: runtime.placement } : {}),
    ...(options.asyncFailures ? { asyncFailures: options.asyncFailures } : {}),
  });
  grantCapabilities(props.resources, fn.role, route.uses);
  return fn;
}

export class Handlers extends Construct {
  readonly wired: ReadonlyMap<string, WiredHandler>;

  constructor(scope: Construct, id: string, props: HandlersProps) {
    super(scope, id);
    const wired = new Map<string, WiredHandler>();
    for (const route of props.routes) {
      const deadLetters = new DeadLetterQueue(this, `${pascal(route.handler)}DeadLetters`, `${route.handler} gave up on a record`);
      const handler = { route, deadLetters, ...wiring[route.delivery](this, route, deadLetters, props) };
      handler.function.alarmOnErrors();
      wired.set(route.handler, handler);
    }
    this.wired = wired;
  }
}

export const pascal = (name: string): string => name.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
