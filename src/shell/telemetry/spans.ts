/**
 * The spans of a message's journey, named and attributed as OpenTelemetry's messaging
 * conventions say (semantic-conventions, docs/messaging/messaging-spans.md):
 * - a PRODUCER span wherever a message is written (the command item, appended events and
 *   outcomes with their views, a PutEvents call, a notification, the recent list, the homepage);
 *   its context is the message's creation context, stored with the message as a carrier;
 * - a CONSUMER span, operation `process`, wherever a handler handles messages; it links to
 *   the creation context of every message it handles.
 * Only `@opentelemetry/api` is used, and with no SDK registered the helpers call straight
 * through: no span is made and no carrier produced (bench/telemetry.ts measures what is left).
 */
import {
  type Attributes,
  context,
  type Context,
  INVALID_SPAN_CONTEXT,
  type Link,
  ProxyTracerProvider,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { type Carrier, carrierOf, spanContextOf } from './carrier.js';

/**
 * Attribute names of the messaging conventions (kept here rather than imported from the
 * semantic-conventions package's `incubating` entry, which may rename them in a minor
 * release; a unit test compares them with that package).
 */
export const MESSAGING = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destinationName: 'messaging.destination.name',
  destinationTemplate: 'messaging.destination.template',
  conversationId: 'messaging.message.conversation_id',
  messageId: 'messaging.message.id',
  batchMessageCount: 'messaging.batch.message_count',
  consumerGroupName: 'messaging.consumer.group.name',
} as const;

/** `error.type`: the class of what was thrown (general conventions, recording errors). */
export const ERROR_TYPE = 'error.type';

/**
 * How a message travels. The conventions list none of these, so they follow its spelling for
 * AWS (`aws.sns`): DynamoDB Streams (command items, events), EventBridge (the bus), Redis
 * pub/sub (notifications), S3 event notifications (the site bucket).
 */
export type MessagingSystem = 'aws.dynamodb_streams' | 'aws.eventbridge' | 'redis' | 'aws.s3';

export type ProducerOperation = 'send' | 'publish' | 'create';

export interface ProducerSpanOptions {
  readonly system: MessagingSystem;
  /** Where the message goes: the table, the bus, the channel. */
  readonly destinationName: string;
  /** A low-cardinality form of a destination whose name holds an id (a notification channel); names the span. */
  readonly destinationTemplate?: string;
  /** `send` (default): one write of the message(s); `publish` for Redis PUBLISH. */
  readonly operation?: ProducerOperation;
  readonly correlationId?: string;
  readonly messageId?: string;
  /** How many messages this one write carries (a PutEvents call, a transaction), when more than one. */
  readonly messageCount?: number;
  /** Creation contexts of the messages sent, when this write forwards messages made elsewhere (the fan-out). */
  readonly links?: readonly (Carrier | undefined)[];
}

export interface ProducerSpan {
  /** The span's context as a carrier, to store with the message; undefined when tracing is off. */
  readonly carrier: Carrier | undefined;
  readonly span: Span;
  /** Ends the span; with an error, records it and marks the span failed. */
  end(error?: unknown): void;
}

export interface ConsumerSpanOptions {
  /** The handler doing the work (`decide`, `validate-geolocation`, …): the consumer group of the conventions. */
  readonly handler: string;
  readonly system: MessagingSystem;
  /** Where the messages came from: the table's stream, the bus, the channel, the bucket. */
  readonly destinationName: string;
  readonly destinationTemplate?: string;
  /**
   * The command's correlation id (`messaging.message.conversation_id`); undefined for work that serves many
   * commands.
   */
  readonly correlationId: string | undefined;
  /** The carriers of the messages handled, as stored with them; missing or damaged ones are skipped. */
  readonly links: readonly (Carrier | undefined)[];
  readonly messageId?: string;
}

/**
 * Destination names that are the same locally and on AWS (the deployed tables have generated
 * names): the event table's stream carries commands, events and outcomes; the read-model
 * table's stream carries view changes. The event table's name matches the bus entries' source.
 */
export const DESTINATIONS = {
  eventTable: 'visitplannr.event-table',
  readModelTable: 'visitplannr.read-model-table',
  siteBucket: 'visitplannr.site-bucket',
} as const;

const tracer = () => trace.getTracer('visitplannr');

/** What an unregistered global provider delegates to (the API's no-op provider). */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();
/** Handed to callbacks when tracing is off: a span that records nothing. */
const NON_RECORDING = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

/**
 * Whether an SDK is registered. Without one the helpers call through at once: no span objects,
 * attributes, links or contexts are built (the API's no-op would build and drop them), and no
 * carrier is produced or passed on.
 */
export function tracingIsOn(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider) || provider.getDelegate() !== NOOP_PROVIDER;
}

function linksTo(carriers: readonly (Carrier | undefined)[] | undefined): Link[] {
  const links: Link[] = [];
  for (const carrier of carriers ?? []) {
    const spanContext = spanContextOf(carrier);
    if (spanContext) links.push({ context: spanContext });
  }
  return links;
}

function messagingAttributes(
  options: {
    readonly system: MessagingSystem;
    readonly destinationName: string;
    readonly destinationTemplate?: string;
    readonly correlationId?: string | undefined;
    readonly messageId?: string;
  },
  operationType: string,
  messageCount: number | undefined,
): Attributes {
  return {
    [MESSAGING.system]: options.system,
    [MESSAGING.operationType]: operationType,
    [MESSAGING.operationName]: operationType,
    [MESSAGING.destinationName]: options.destinationName,
    ...(options.destinationTemplate ? { [MESSAGING.destinationTemplate]: options.destinationTemplate } : {}),
    ...(options.correlationId ? { [MESSAGING.conversationId]: options.correlationId } : {}),
    ...(options.messageId ? { [MESSAGING.messageId]: options.messageId } : {}),
    // The conventions ask for the count on batch operations only (two or more messages).
    ...(messageCount !== undefined && messageCount > 1 ? { [MESSAGING.batchMessageCount]: messageCount } : {}),
  };
}

/** Records `error` on `span` and marks it failed (the span is ended by the caller). */
export function recordFailure(span: Span, error: unknown): void {
  const exception = error instanceof Error ? error : String(error);
  span.recordException(exception);
  span.setAttribute(ERROR_TYPE, error instanceof Error ? error.name : typeof error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

/** Runs `fn` with `span` active, ending the span when `fn` settles (recording a failure). */
async function runIn<T>(span: Span, parent: Context, fn: (span: Span) => Promise<T> | T): Promise<T> {
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Starts a PRODUCER span (a child of the active span) for a message about to be written; store
 * `carrier` with the message, write it, then `end()`. For code that cannot wrap the write in a
 * callback; otherwise use inProducerSpan.
 */
export function startProducerSpan(options: ProducerSpanOptions): ProducerSpan {
  if (!tracingIsOn()) return { carrier: undefined, span: NON_RECORDING, end: () => undefined };
  const operation = options.operation ?? 'send';
  const span = tracer().startSpan(`${operation} ${options.destinationTemplate ?? options.destinationName}`, {
    kind: SpanKind.PRODUCER,
    attributes: messagingAttributes(options, operation, options.messageCount),
    links: linksTo(options.links),
  });
  return {
    carrier: carrierOf(span.spanContext()),
    span,
    end(error?: unknown) {
      if (error !== undefined) recordFailure(span, error);
      span.end();
    },
  };
}

/**
 * Runs `write` inside a PRODUCER span, handing it the span's carrier to store with the message
 * (undefined when tracing is off: store nothing). The span ends when the write settles.
 */
export async function inProducerSpan<T>(
  options: ProducerSpanOptions,
  write: (carrier: Carrier | undefined, span: Span) => Promise<T> | T,
): Promise<T> {
  if (!tracingIsOn()) return write(undefined, NON_RECORDING);
  const producer = startProducerSpan(options);
  return runIn(producer.span, context.active(), (span) => write(producer.carrier, span));
}

/**
 * Links the active span to the span that made `carrier` (a no-op without either): for work
 * that learns of a message after its span started, as a request learns of the notification
 * that answers it.
 */
export function linkActiveSpan(carrier: Carrier | undefined, attributes?: Attributes): void {
  const span = trace.getActiveSpan();
  const spanContext = span?.isRecording() ? spanContextOf(carrier) : undefined;
  if (span && spanContext) span.addLink({ context: spanContext, ...(attributes ? { attributes } : {}) });
}

/**
 * Runs a handler's work on messages inside a CONSUMER span (operation `process`) that links to
 * each message's creation context, records a thrown error and rethrows it. Its parent is the
 * active span when there is one (an invocation span); otherwise, for a single message, the
 * message's creation context (the conventions allow it), so one command's journey reads as one
 * trace; for several messages, none: links alone tie the work to its causes.
 */
export async function inConsumerSpan<T>(options: ConsumerSpanOptions, fn: (span: Span) => Promise<T> | T): Promise<T> {
  if (!tracingIsOn()) return fn(NON_RECORDING);
  const links = linksTo(options.links);
  const active = context.active();
  const parent =
    trace.getSpan(active) === undefined && links.length === 1
      ? trace.setSpanContext(active, links[0]!.context)
      : active;
  const span = tracer().startSpan(
    `process ${options.destinationTemplate ?? options.destinationName}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        ...messagingAttributes(options, 'process', options.links.length),
        [MESSAGING.consumerGroupName]: options.handler,
      },
      links,
    },
    parent,
  );
  return runIn(span, parent, fn);
}

export interface RequestSpanOptions {
  /** Replaced by the operation once known (the Apollo plugin does it). */
  readonly name: string;
  readonly attributes?: Attributes;
  /**
   * A caller's trace context to continue (its `traceparent` header), only where callers are
   * trusted to send one; a public API starts its own trace.
   */
  readonly remoteParent?: Carrier;
}

/**
 * Runs a request (a GraphQL call) inside a SERVER span that ends when `fn` settles, i.e. with
 * the answer: every span the request makes (the command's PRODUCER span, the notification's
 * CONSUMER span) is its child, and the Apollo plugin (apollo-plugin.ts) names it and records
 * the operation's errors.
 */
export async function inRequestSpan<T>(options: RequestSpanOptions, fn: (span: Span) => Promise<T> | T): Promise<T> {
  if (!tracingIsOn()) return fn(NON_RECORDING);
  const remote = spanContextOf(options.remoteParent);
  const parent = remote ? trace.setSpanContext(context.active(), remote) : context.active();
  const span = tracer().startSpan(
    options.name,
    { kind: SpanKind.SERVER, ...(options.attributes ? { attributes: options.attributes } : {}) },
    parent,
  );
  return runIn(span, parent, fn);
}
