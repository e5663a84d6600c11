/**
 * The span helpers and the Apollo plugin against the real SDK with an in-memory exporter:
 * kinds, messaging attributes, links to the producers, parents, failures, and a GraphQL
 * request span that ends with the answer and holds the resolver's spans.
 */
import { ApolloServer } from '@apollo/server';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { putEventsReliably } from '../../src/shell/fanout/put-events.js';
import { ANSWER_TYPENAME, telemetryPlugin } from '../../src/shell/telemetry/apollo-plugin.js';
import {
  type Carrier,
  inConsumerSpan,
  injectCurrent,
  inProducerSpan,
  inRequestSpan,
  linkActiveSpan,
  spanContextOf,
  startProducerSpan,
} from '../../src/shell/telemetry/index.js';
import { useInMemorySpans } from '../support/in-memory-spans.js';

const { finished, reset } = useInMemorySpans();
const named = (name: string): ReadableSpan => {
  const span = finished().find((candidate) => candidate.name === name);
  if (!span)
    throw new Error(
      `no span ${name} among ${finished()
        .map((s) => s.name)
        .join(', ')}`,
    );
  return span;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('producer spans', () => {
  it('are PRODUCER spans whose carrier, stored with the message, names them', async () => {
    let stored: Carrier | undefined;
    const result = await inProducerSpan(
      { system: 'aws.dynamodb_streams', destinationName: 'events', correlationId: 'c-1', messageId: 'm-1' },
      (carrier) => {
        stored = carrier;
        expect(injectCurrent()).toEqual(carrier);
        return Promise.resolve('written');
      },
    );
    expect(result).toBe('written');
    const span = named('send events');
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(stored?.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    expect(span.attributes).toEqual({
      'messaging.system': 'aws.dynamodb_streams',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': 'events',
      'messaging.message.conversation_id': 'c-1',
      'messaging.message.id': 'm-1',
    });
  });

  it('name the span by the destination template and count a batch', () => {
    const producer = startProducerSpan({
      system: 'redis',
      operation: 'publish',
      destinationName: 'ns:command:c-2',
      destinationTemplate: 'ns:command:{correlationId}',
      messageCount: 3,
      links: [undefined, { traceparent: 'damaged' }],
    });
    producer.end(new Error('broker away'));
    const span = named('publish ns:command:{correlationId}');
    expect(span.attributes['messaging.batch.message_count']).toBe(3);
    expect(span.links).toEqual([]);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'broker away' });
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });
});

describe('consumer spans', () => {
  it('link to every producer, carry the conversation and process attributes, and count the batch', async () => {
    const carriers = await Promise.all(
      ['a', 'b'].map((id) =>
        inProducerSpan({ system: 'aws.dynamodb_streams', destinationName: 'events', correlationId: id }, (c) => c),
      ),
    );
    await inConsumerSpan(
      {
        handler: 'project-recent',
        system: 'aws.dynamodb_streams',
        destinationName: 'read-models',
        correlationId: undefined,
        links: carriers,
      },
      () => undefined,
    );
    const span = named('process read-models');
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.links.map((link) => link.context.spanId)).toEqual(carriers.map((c) => spanContextOf(c)!.spanId));
    expect(span.attributes).toEqual({
      'messaging.system': 'aws.dynamodb_streams',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': 'read-models',
      'messaging.batch.message_count': 2,
      'messaging.consumer.group.name': 'project-recent',
    });
    // Several causes: a trace of its own, tied to them by links alone.
    expect(parentOf(span)).toBeUndefined();
  });

  it('for a single message, continue its trace (parent) as well as link to it; the work inside is its child', async () => {
    const carrier = await inProducerSpan(
      { system: 'aws.dynamodb_streams', destinationName: 'events', correlationId: 'c-3' },
      (c) => c,
    );
    const written = await inConsumerSpan(
      {
        handler: 'decide',
        system: 'aws.dynamodb_streams',
        destinationName: 'events',
        correlationId: 'c-3',
        links: [carrier],
      },
      () =>
        inProducerSpan({ system: 'aws.dynamodb_streams', destinationName: 'events', correlationId: 'c-3' }, (c) => c),
    );
    const consumer = named('process events');
    const command = spanContextOf(carrier)!;
    expect(consumer.spanContext().traceId).toBe(command.traceId);
    expect(parentOf(consumer)).toBe(command.spanId);
    expect(consumer.links.map((link) => link.context.spanId)).toEqual([command.spanId]);
    expect(consumer.attributes['messaging.message.conversation_id']).toBe('c-3');
    expect(spanContextOf(written)!.traceId).toBe(command.traceId);
    const appended = finished().filter((span) => span.name === 'send events')[1]!;
    expect(parentOf(appended)).toBe(consumer.spanContext().spanId);
  });

  it('inside an active span (an invocation), stay its child and only link to the message', async () => {
    const carrier = await inProducerSpan({ system: 'redis', destinationName: 'x' }, (c) => c);
    await inRequestSpan({ name: 'invocation' }, () =>
      inConsumerSpan(
        { handler: 'h', system: 'aws.eventbridge', destinationName: 'bus', correlationId: 'c', links: [carrier] },
        () => undefined,
      ),
    );
    expect(parentOf(named('process bus'))).toBe(named('invocation').spanContext().spanId);
    expect(named('process bus').links).toHaveLength(1);
  });

  it('record a thrown error as the span failing, and rethrow it', async () => {
    await expect(
      inConsumerSpan(
        { handler: 'decide', system: 'aws.dynamodb_streams', destinationName: 'events', correlationId: 'c', links: [] },
        () => {
          throw new RangeError('no such destination');
        },
      ),
    ).rejects.toThrow('no such destination');
    const span = named('process events');
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'no such destination' });
    expect(span.attributes['error.type']).toBe('RangeError');
    expect(span.events[0]?.attributes).toMatchObject({
      'exception.type': 'RangeError',
      'exception.message': 'no such destination',
    });
  });
});

describe('the fan-out PutEvents span', () => {
  const carriers = [
    { traceparent: '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01' },
    { traceparent: '00-5759e988bd862e3fe1be46a994272794-53995c3f42cd8ad9-01' },
  ];
  const pending = carriers.map((trace, i) => ({
    sequenceNumber: String(i),
    entry: { Source: 's', DetailType: 't', Detail: '{}', EventBusName: 'visitplannr-bus' },
    trace,
  }));
  // A stub EventBridge client (the retry logic's unit tests use the same kind; the local bus covers the real client).
  const answering = (eventIds: boolean) =>
    ({
      send: () =>
        Promise.resolve({
          Entries: pending.map((_, i) => (eventIds ? { EventId: `e${i}` } : { ErrorCode: 'InternalFailure' })),
        }),
    }) as unknown as EventBridgeClient;

  it('is one PRODUCER span per PutEvents chunk, linking to the records it forwards', async () => {
    expect(await putEventsReliably(answering(true), pending, { attempts: 2, baseDelayMs: 1 })).toEqual([]);
    const span = named('send visitplannr-bus');
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(span.attributes).toMatchObject({
      'messaging.system': 'aws.eventbridge',
      'messaging.destination.name': 'visitplannr-bus',
      'messaging.batch.message_count': 2,
    });
    expect(span.links.map((link) => link.context.spanId)).toEqual(['53995c3f42cd8ad8', '53995c3f42cd8ad9']);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('fails when entries stay undelivered after the retries', async () => {
    expect(await putEventsReliably(answering(false), pending, { attempts: 2, baseDelayMs: 1 })).toHaveLength(2);
    expect(named('send visitplannr-bus').status).toEqual({
      code: SpanStatusCode.ERROR,
      message: '2 entries not delivered',
    });
  });
});

describe('the GraphQL request span (inRequestSpan + telemetryPlugin)', () => {
  const server = new ApolloServer({
    typeDefs: `
      type Query { ok: Boolean }
      type Answer { id: ID! }
      type Mutation { propose: Answer!, fail: Answer!, refuse: Answer! }`,
    resolvers: {
      Mutation: {
        propose: async () => {
          const carrier = await inProducerSpan(
            { system: 'aws.dynamodb_streams', destinationName: 'events', correlationId: 'c-9' },
            (c) => c,
          );
          // The answer arrives later, by notification; the request links to its publisher.
          const notification = await inProducerSpan({ system: 'redis', destinationName: 'ns:command:c-9' }, (c) => c);
          linkActiveSpan(notification, { 'visitplannr.notification.type': 'Projected' });
          return { __typename: 'Answer', id: carrier?.traceparent };
        },
        fail: () => {
          throw new Error('table gone');
        },
        refuse: () => {
          throw new GraphQLError('bad name', { extensions: { code: 'BAD_USER_INPUT' } });
        },
      },
    },
    plugins: [telemetryPlugin()],
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('is named after the operation, holds the resolver spans, links to the notification and ends with the answer', async () => {
    const response = await inRequestSpan({ name: 'POST /graphql' }, () =>
      server.executeOperation({ query: 'mutation ProposeIt { propose { __typename id } }' }),
    );
    const request = named('mutation ProposeIt');
    expect(request.kind).toBe(SpanKind.SERVER);
    expect(request.attributes).toMatchObject({
      'graphql.operation.type': 'mutation',
      'graphql.operation.name': 'ProposeIt',
      [ANSWER_TYPENAME]: ['Answer'],
    });
    expect(request.status.code).toBe(SpanStatusCode.UNSET);
    const write = named('send events');
    expect(parentOf(write)).toBe(request.spanContext().spanId);
    expect(response.body.kind === 'single' && response.body.singleResult.data).toEqual({
      propose: { __typename: 'Answer', id: `00-${write.spanContext().traceId}-${write.spanContext().spanId}-01` },
    });
    expect(request.links.map((link) => link.attributes)).toEqual([{ 'visitplannr.notification.type': 'Projected' }]);
    // Ends after everything the request did, once the answer was made.
    const endOf = (span: ReadableSpan) => span.endTime[0] * 1e9 + span.endTime[1];
    expect(endOf(request)).toBeGreaterThanOrEqual(endOf(named('send ns:command:c-9')));
    expect(finished().at(-1)).toBe(request);
  });

  it('marks a server-side error, not a caller error', async () => {
    await inRequestSpan({ name: 'POST /graphql' }, () =>
      server.executeOperation({ query: 'mutation { fail { id } }' }),
    );
    const failed = named('mutation');
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['error.type']).toBe('INTERNAL_SERVER_ERROR');
    expect(failed.events.map((event) => event.name)).toEqual(['exception']);

    reset();
    await inRequestSpan({ name: 'POST /graphql' }, () =>
      server.executeOperation({ query: 'mutation { refuse { id } }' }),
    );
    expect(named('mutation').status.code).toBe(SpanStatusCode.UNSET);
    expect(named('mutation').events).toEqual([]);
  });

  it('does nothing outside a recording span', async () => {
    const response = await server.executeOperation({ query: 'mutation { propose { id } }' });
    expect(response.body.kind).toBe('single');
    expect(finished().filter((span) => span.kind === SpanKind.SERVER)).toEqual([]);
  });
});
