/**
 * Tracing end to end on real parts: the set-up started from the standard variables exports over
 * OTLP/HTTP (JSON and protobuf) to a real receiver (test/support/otlp-receiver.ts); the command,
 * its outcome and the notification travel through DynamoDB Local, its stream and Redis carrying
 * their trace context; the resolver's request, the decider's work (done by hand here with the
 * helpers the runner calls) and the publish arrive as spans with the right kinds, attributes,
 * parents and links. Without an endpoint nothing is sent and nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import type { AttributeValue as DynamoAttribute } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandRejected, ProposeDestination } from '../../src/domain/messages.js';
import { commandStreamId, derivedEventId, OUTCOME_VERSION } from '../../src/domain/streams.js';
import type { GraphQLContext } from '../../src/resolvers/context.js';
import { proposeDestination } from '../../src/resolvers/propose-destination.js';
import { fromStreamImage } from '../../src/shell/dynamodb/record-codec.js';
import { entriesFor } from '../../src/shell/fanout/entries.js';
import {
  DESTINATIONS,
  fromXRayTraceHeader,
  inConsumerSpan,
  inProducerSpan,
  inRequestSpan,
  shutdownTelemetry,
  spanContextOf,
  startTelemetry,
  withTrace,
  writePathTracing,
} from '../../src/shell/telemetry/index.js';
import {
  OTLP_KIND,
  OTLP_STATUS,
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from '../support/otlp-receiver.js';
import { type RealNotifier, realNotifier } from '../support/notifications.js';
import { recordStream } from '../support/stream-records.js';
import { freshStores } from '../support/stores.js';

const NOW = '2026-12-01T10:00:00.000Z';
const OTEL_VARIABLES = [
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_SERVICE_NAME',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_TRACES_EXPORTER',
] as const;

function setEnvironment(values: Partial<Record<(typeof OTEL_VARIABLES)[number], string>>): void {
  for (const name of OTEL_VARIABLES) delete process.env[name];
  Object.assign(process.env, values);
}

let receiver: OtlpReceiver;
let stores: Awaited<ReturnType<typeof freshStores>>;
let stream: ReturnType<typeof recordStream>;
let redis: RealNotifier;
beforeAll(async () => {
  [receiver, stores, redis] = await Promise.all([startOtlpReceiver(), freshStores(), realNotifier()]);
  stream = recordStream(stores);
});
afterAll(async () => {
  await shutdownTelemetry();
  setEnvironment({});
  await Promise.all([receiver?.close(), stream?.stop(), redis?.close()]);
});

/**
 * One proposal through the one-hop path: the resolver inside a request span (as the runner
 * wraps it) writes the command; a hand-made decider takes it from the real stream inside a
 * consumer span, appends a rejection and publishes it (the real publisher); the resolver answers.
 */
async function proposeAndDecide(name: string) {
  let correlationId = '';
  const context: GraphQLContext = {
    eventStore: stores.eventStore,
    readModels: stores.readModels,
    notifications: redis.subscriber,
    answers: redis.answers,
    clock: () => NOW,
    newId: () => (correlationId = randomUUID()),
    mutationDeadlineMs: 10_000,
    outcomePollIntervalMs: 50,
    log: { info: () => undefined, warn: () => undefined },
    tracing: writePathTracing,
  };
  const decider = async () => {
    const [streamRecord] = await stream.next(1);
    const command = fromStreamImage(
      streamRecord!.dynamodb!.NewImage as Record<string, DynamoAttribute>,
    ) as ProposeDestination;
    await inConsumerSpan(
      {
        handler: 'decide',
        system: 'aws.dynamodb_streams',
        destinationName: DESTINATIONS.eventTable,
        correlationId: command.correlationId,
        links: [command.trace],
      },
      async () => {
        const eventId = derivedEventId(command.eventId, 'CommandRejected');
        const outcome: CommandRejected = {
          streamId: commandStreamId(command.correlationId),
          version: OUTCOME_VERSION,
          kind: 'outcome',
          type: 'CommandRejected',
          eventId,
          correlationId: command.correlationId,
          causationId: command.eventId,
          time: NOW,
          data: { problems: [{ field: 'name', code: 'TOO_LONG', message: 'rejected by the test decider' }] },
        };
        await inProducerSpan(
          {
            system: 'aws.dynamodb_streams',
            destinationName: DESTINATIONS.eventTable,
            correlationId: command.correlationId,
          },
          (carrier) => stores.eventStore.appendUnits([{ records: [withTrace(outcome, carrier)] }]),
        );
        await redis.publisher.publish({
          type: 'Rejected',
          correlationId: command.correlationId,
          problems: outcome.data.problems,
        });
      },
    );
    // What the fan-out would put on the bus for the outcome record it reads next.
    return { command, outcomeRecords: await stream.next(1) };
  };
  const [answer, decided] = await Promise.all([
    inRequestSpan({ name: 'POST /graphql' }, () =>
      proposeDestination(context, { name, latitude: 51.05, longitude: 3.72 }),
    ),
    decider(),
  ]);
  return { answer, correlationId, ...decided };
}

const byName = (spans: readonly ReceivedSpan[], name: string, conversation: string): ReceivedSpan[] =>
  spans.filter(
    (span) =>
      span.name === name && (span.attributes['messaging.message.conversation_id'] ?? conversation) === conversation,
  );

describe.each(['http/json', 'http/protobuf'] as const)('OTLP export over %s to a real receiver', (protocol) => {
  beforeAll(async () => {
    await shutdownTelemetry();
    // A schedule far beyond the test: whatever arrives, flush() sent.
    setEnvironment({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_SERVICE_NAME: `visitplannr-test-${protocol}`,
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    });
    expect((await startTelemetry()).settings).toEqual({ enabled: true, protocol });
  });

  it('sends the request, the command, the decider and the publish as linked spans once flushed', async () => {
    const requestsBefore = receiver.requests.length;
    const { answer, correlationId, command, outcomeRecords } = await proposeAndDecide(`Ghent over ${protocol}`);
    expect(answer).toMatchObject({ __typename: 'ProposalRejected', correlationId });
    expect(receiver.requests.length).toBe(requestsBefore);

    expect(await import('../../src/shell/telemetry/index.js').then(({ flush }) => flush())).toBe('flushed');
    const sent = () =>
      receiver.spans.filter((span) => span.resource['service.name'] === `visitplannr-test-${protocol}`);
    await receiver.waitFor(() => byName(sent(), 'POST /graphql', correlationId).length > 0, 'the request span');
    const encoding = protocol === 'http/json' ? 'json' : 'protobuf';
    expect(receiver.requests.slice(requestsBefore).every((request) => request.encoding === encoding)).toBe(true);
    expect(receiver.requests.slice(requestsBefore).every((request) => request.path === '/v1/traces')).toBe(true);

    const spans = sent();
    const [request] = byName(spans, 'POST /graphql', correlationId);
    const [write, appendOutcome] = byName(spans, `send ${DESTINATIONS.eventTable}`, correlationId).sort((a, b) =>
      a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1,
    );
    const [decide] = byName(spans, `process ${DESTINATIONS.eventTable}`, correlationId);
    const [publish] = byName(spans, `publish ${redis.namespace}:command:{correlationId}`, correlationId);
    for (const span of [request, write, appendOutcome, decide, publish]) expect(span).toBeDefined();

    // The request: a SERVER span, ended with the answer, parent of the command's write.
    expect(request!.kind).toBe(OTLP_KIND.SERVER);
    expect(request!.parentSpanId).toBe('');
    expect(request!.endTimeUnixNano).toBeGreaterThanOrEqual(publish!.endTimeUnixNano);
    expect(write!.kind).toBe(OTLP_KIND.PRODUCER);
    expect(write!.parentSpanId).toBe(request!.spanId);
    expect(write!.attributes).toMatchObject({
      'messaging.system': 'aws.dynamodb_streams',
      'messaging.operation.type': 'send',
      'messaging.destination.name': DESTINATIONS.eventTable,
      'messaging.message.conversation_id': correlationId,
      'messaging.message.id': command.eventId,
    });
    // The command item carries the write's context, through the table and its stream.
    expect(command.trace?.traceparent).toBe(`00-${write!.traceId}-${write!.spanId}-01`);

    // The decider: a CONSUMER span linked to the command's creation context (and, one message, its child).
    expect(decide!.kind).toBe(OTLP_KIND.CONSUMER);
    expect(decide!.links).toEqual([{ traceId: write!.traceId, spanId: write!.spanId, traceState: '' }]);
    expect(decide!.parentSpanId).toBe(write!.spanId);
    expect(decide!.traceId).toBe(request!.traceId);
    expect(decide!.attributes).toMatchObject({
      'messaging.system': 'aws.dynamodb_streams',
      'messaging.operation.type': 'process',
      'messaging.destination.name': DESTINATIONS.eventTable,
      'messaging.message.conversation_id': correlationId,
      'messaging.consumer.group.name': 'decide',
    });
    expect(decide!.status.code).toBe(OTLP_STATUS.UNSET);

    // Its writes: the outcome and the notification, children of its span.
    expect(appendOutcome!.parentSpanId).toBe(decide!.spanId);
    expect(publish!.kind).toBe(OTLP_KIND.PRODUCER);
    expect(publish!.parentSpanId).toBe(decide!.spanId);
    expect(publish!.attributes).toMatchObject({
      'messaging.system': 'redis',
      'messaging.operation.type': 'publish',
      'messaging.destination.name': `${redis.namespace}:command:${correlationId}`,
    });
    // The way back: the request links to the publish whose notification answered it.
    expect(request!.links).toContainEqual({ traceId: publish!.traceId, spanId: publish!.spanId, traceState: '' });

    // The outcome record carries the append's context; the fan-out's entry carries it twice.
    const [pending] = entriesFor(outcomeRecords, new Set(['CommandRejected']), 'bus');
    expect((JSON.parse(pending!.entry.Detail!) as { trace: { traceparent: string } }).trace.traceparent).toBe(
      `00-${appendOutcome!.traceId}-${appendOutcome!.spanId}-01`,
    );
    expect(fromXRayTraceHeader(pending!.entry.TraceHeader)).toEqual({
      traceparent: `00-${appendOutcome!.traceId}-${appendOutcome!.spanId}-01`,
    });
    // X-Ray-compatible trace ids: the first 8 hex digits are a recent epoch second.
    expect(Math.abs(Number.parseInt(request!.traceId.slice(0, 8), 16) - Date.now() / 1000)).toBeLessThan(3600);
  });

  it('exports a failing consumer as an error with the exception', async () => {
    await expect(
      inConsumerSpan(
        {
          handler: 'validate-geolocation',
          system: 'aws.eventbridge',
          destinationName: 'visitplannr-bus',
          correlationId: `failing-${protocol}`,
          links: [],
        },
        () => {
          throw new Error('geocoder away');
        },
      ),
    ).rejects.toThrow('geocoder away');
    expect(await import('../../src/shell/telemetry/index.js').then(({ flush }) => flush())).toBe('flushed');
    await receiver.waitFor(
      (spans) => byName(spans, 'process visitplannr-bus', `failing-${protocol}`).length > 0,
      'the failing consumer span',
    );
    const [failed] = byName(receiver.spans, 'process visitplannr-bus', `failing-${protocol}`);
    expect(failed!.status).toEqual({ code: OTLP_STATUS.ERROR, message: 'geocoder away' });
    expect(failed!.attributes['error.type']).toBe('Error');
    expect(failed!.events.map((event) => [event.name, event.attributes['exception.message']])).toEqual([
      ['exception', 'geocoder away'],
    ]);
  });
});

describe('without an endpoint', () => {
  it('starts nothing, stores no trace context and sends nothing', async () => {
    await shutdownTelemetry();
    setEnvironment({ OTEL_SERVICE_NAME: 'visitplannr-test-off' });
    const telemetry = await startTelemetry();
    expect(telemetry.settings).toEqual({ enabled: false, reason: 'no OTLP endpoint' });
    const requestsBefore = receiver.requests.length;
    const { answer, command, outcomeRecords } = await proposeAndDecide('Ghent untraced');
    expect(answer).toMatchObject({ __typename: 'ProposalRejected' });
    expect('trace' in command).toBe(false);
    const [pending] = entriesFor(outcomeRecords, new Set(['CommandRejected']), 'bus');
    expect('trace' in JSON.parse(pending!.entry.Detail!)).toBe(false);
    expect(pending!.entry.TraceHeader).toBeUndefined();
    const published = await redis.published();
    expect(published.at(-1)).toEqual({
      type: 'Rejected',
      correlationId: command.correlationId,
      problems: expect.any(Array),
    });
    expect(await telemetry.flush()).toBe('off');
    expect(receiver.requests.length).toBe(requestsBefore);
    expect(spanContextOf(command.trace)).toBeUndefined();
  });

  it('with an endpoint but OTEL_TRACES_EXPORTER=none, sends nothing either', async () => {
    await shutdownTelemetry();
    setEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_EXPORTER: 'none' });
    const telemetry = await startTelemetry();
    expect(telemetry.settings.enabled).toBe(false);
    const requestsBefore = receiver.requests.length;
    await inProducerSpan({ system: 'redis', destinationName: 'nowhere' }, (carrier) => expect(carrier).toBeUndefined());
    expect(await telemetry.flush()).toBe('off');
    expect(receiver.requests.length).toBe(requestsBefore);
  });
});
