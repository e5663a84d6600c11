/**
 * One function per route of the topology, wired by its delivery kind:
 * - `stream`: a filtered event source mapping on the event table's stream;
 * - `bus`: one EventBridge rule per route, whose pattern comes from the same declaration
 *   the local stack routes with;
 * - `read-model-stream`: a filtered, batched event source mapping on the read-model table's stream;
 * - `object-created`: the site bucket's object-created notifications (asynchronous invoke).
 * Adding a route adds its function, trigger, queue and alarms; a new delivery kind is a
 * type error here until it is wired. Grants, environment and VPC placement come from
 * the route's `uses`.
 */
import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { InvocationType, Trigger } from 'aws-cdk-lib/triggers';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acceptFindingOnCdkSingletons } from '../nag.js';
import { type AnyRoute, type Delivery, rulePatternFor, streamFilterFor } from '../../src/topology/topology.js';
import { type CapabilityResources, grantCapabilities, runtimeFor } from './capabilities.js';
import { DeadLetterQueue } from './dead-letter-queue.js';
import { LAMBDA_ENTRY_DIR } from './paths.js';
import { ServiceFunction, type ServiceFunctionProps } from './service-function.js';
import { readStream } from './stream-settings.js';

export interface HandlersProps {
  readonly routes: readonly AnyRoute[];
  readonly resources: CapabilityResources;
  readonly bus: IEventBus;
}

export interface WiredHandler {
  readonly route: AnyRoute;
  readonly function: ServiceFunction;
  readonly deadLetters: DeadLetterQueue;
}

interface Wiring {
  readonly scope: Construct;
  readonly deadLetters: DeadLetterQueue;
  readonly props: HandlersProps;
}

type Wire<D extends Delivery> = (route: AnyRoute & { readonly delivery: D }, wiring: Wiring) => ServiceFunction;

/** Asynchronous invocations (EventBridge, S3): Lambda retries a failed one twice, then dead-letters the event. */
const asyncFailures = (deadLetters: DeadLetterQueue) => ({
  retryAttempts: 2,
  maxEventAge: Duration.hours(1),
  deadLetterQueue: deadLetters.queue,
});

/** The event store writes each record's views in the same transaction, so it needs both tables. */
const bothTables = ({ tables }: CapabilityResources) => ({
  EVENT_TABLE_NAME: tables.events.tableName,
  READ_MODEL_TABLE_NAME: tables.readModels.tableName,
});

const wiring: { readonly [D in Delivery]: Wire<D> } = {
  stream(route, { scope, deadLetters, props }) {
    const fn = handlerFunction(scope, route, props, {
      environment: bothTables(props.resources),
    });
    readStream(fn, props.resources.tables.events, {
      filter: streamFilterFor(route),
      batchSize: route.batching?.batchSize ?? 10,
      ...(route.batching
        ? { parallelizationFactor: route.batching.parallelizationFactor, retryAttempts: route.batching.retryAttempts }
        : {}),
      deadLetterQueue: deadLetters.queue,
    });
    return fn;
  },
  bus(route, { scope, deadLetters, props }) {
    const fn = handlerFunction(scope, route, props, {
      environment: bothTables(props.resources),
      asyncFailures: asyncFailures(deadLetters),
    });
    const pattern = rulePatternFor(route);
    new Rule(scope, `${pascal(route.handler)}Rule`, {
      eventBus: props.bus,
      description: `${pattern['detail-type'].join(', ')} -> ${route.handler}`,
      eventPattern: { source: [...pattern.source], detailType: [...pattern['detail-type']] },
      // Delivery failures (throttling, a missing permission) retry, then land in the same queue.
      targets: [
        new LambdaFunction(fn.fn, {
          deadLetterQueue: deadLetters.queue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
    return fn;
  },
  'read-model-stream'(route, { scope, deadLetters, props }) {
    const fn = handlerFunction(scope, route, props, {});
    readStream(fn, props.resources.tables.readModels, {
      filter: route.filter,
      batchSize: route.batching.batchSize,
      maxBatchingWindow: Duration.seconds(route.batching.maximumBatchingWindowInSeconds),
      parallelizationFactor: route.batching.parallelizationFactor,
      startingPosition: route.batching.startingPosition,
      retryAttempts: route.batching.retryAttempts,
      deadLetterQueue: deadLetters.queue,
    });
    if (!route.invokeOnDeploy) return fn;
    // Once per deployment (and whenever the function changes), with no records: e.g. the renderer
    // renders the read model as it is, so a fresh stack serves a page before the first change arrives.
    new Trigger(scope, `${pascal(route.handler)}OnDeploy`, {
      handler: fn.fn,
      invocationType: InvocationType.REQUEST_RESPONSE,
      timeout: Duration.minutes(1),
      executeOnHandlerChange: true,
    });
    acceptTriggerProvider(scope);
    return fn;
  },
  'object-created'(route, { scope, deadLetters, props }) {
    const fn = handlerFunction(scope, route, props, { asyncFailures: asyncFailures(deadLetters) });
    // The notification configuration is its own resource, applied once the bucket and the
    // function exist; see Site for why that keeps the graph acyclic.
    props.resources.site.bucket.addEventNotification(EventType.OBJECT_CREATED, new LambdaDestination(fn.fn));
    acceptBucketNotificationsHandler(scope);
    return fn;
  },
};

const BASIC_EXECUTION_ROLE =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/**
 * CDK sets a bucket's notifications through its own singleton custom-resource function,
 * whose role carries the AWS managed basic-execution policy; it is not configurable.
 */
const acceptBucketNotificationsHandler = (scope: Construct): void =>
  acceptFindingOnCdkSingletons(
    scope,
    'BucketNotificationsHandler',
    BASIC_EXECUTION_ROLE,
    "CDK's own deploy-time function that writes the bucket's notification configuration (S3 offers no CloudFormation property that avoids the dependency cycle, see Site); the managed policy only lets it write its logs, and CDK does not expose its role.",
  );

/** CDK runs triggers through its own singleton provider function (AWS managed basic-execution policy, its runtime). */
const acceptTriggerProvider = (scope: Construct): void =>
  acceptFindingOnCdkSingletons(
    scope,
    'AWSCDK.TriggerCustomResourceProvider',
    BASIC_EXECUTION_ROLE,
    "CDK's own deploy-time provider that invokes the trigger's function; the managed policy only lets it write its logs, and CDK does not expose its role.",
  );

function handlerFunction(
  scope: Construct,
  route: AnyRoute,
  props: HandlersProps,
  options: Pick<ServiceFunctionProps, 'environment' | 'asyncFailures'>,
): ServiceFunction {
  const runtime = runtimeFor(props.resources, route.uses);
  const fn = new ServiceFunction(scope, `${pascal(route.handler)}Function`, {
    // One entry point per delivery kind; HANDLER_NAME picks the route it serves.
    entry: `${LAMBDA_ENTRY_DIR}${route.delivery}.ts`,
    description: `visitplannr ${route.handler} (${route.delivery})`,
    environment: { ...runtime.environment, ...options.environment, HANDLER_NAME: route.handler },
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
      const deadLetters = new DeadLetterQueue(
        this,
        `${pascal(route.handler)}DeadLetters`,
        `${route.handler} gave up on a record`,
      );
      const wire = wiring[route.delivery] as Wire<Delivery>;
      const handler = { route, deadLetters, function: wire(route, { scope: this, deadLetters, props }) };
      handler.function.alarmOnErrors();
      wired.set(route.handler, handler);
    }
    this.wired = wired;
  }
}

export const pascal = (name: string): string =>
  name.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
