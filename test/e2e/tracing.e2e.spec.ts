/**
 * One proposal traced across every asynchronous hop of the running local stack, exported over
 * OTLP/HTTP to a real receiver: the GraphQL request (SERVER) writes the command (PRODUCER); the
 * decider (CONSUMER, from the event table's stream) links to it and appends its decision
 * (PRODUCER); validate-geolocation (CONSUMER, from the bus) links to that append; each handler's
 * notification is a PRODUCER; every hop carries the proposal's correlation id as the
 * conversation id. The request's span ends with the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGING, shutdownTelemetry, startTelemetry } from '../../src/shell/telemetry/index.js';
import { OTLP_KIND, type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.js';
import { useTestStack } from '../support/stack.js';
import { gql, PROPOSE } from './client.js';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'visitplannr-local',
    OTEL_BSP_SCHEDULE_DELAY: '50',
  });
  // As `npm start` does: the stack's functions run in this process.
  await startTelemetry();
});
afterAll(async () => {
  await shutdownTelemetry();
  await receiver?.close();
});

const stack = useTestStack();

const conversation = (span: ReceivedSpan) => span.attributes[MESSAGING.conversationId];
const consumerOf = (spans: readonly ReceivedSpan[], handler: string, correlationId: string) =>
  spans.find(
    (span) =>
      span.kind === OTLP_KIND.CONSUMER &&
      span.attributes[MESSAGING.consumerGroupName] === handler &&
      conversation(span) === correlationId,
  );
const linksTo = (span: ReceivedSpan | undefined, target: ReceivedSpan | undefined) =>
  span !== undefined &&
  target !== undefined &&
  span.links.some((link) => link.traceId === target.traceId && link.spanId === target.spanId);

describe('a proposal traced across every hop', () => {
  it('links each handler to the write that fed it, under one conversation id, and ends the request with the answer', async () => {
    const answer = await gql(stack.graphqlUrl, PROPOSE, {
      input: { name: 'Traced Ghent', latitude: 51.05, longitude: 3.72, waitFor: 'LOCATION_CHECKED' },
    });
    const proposed = answer.data?.['proposeDestination'] as { correlationId: string; __typename: string };
    expect(proposed.__typename).toBe('DestinationProposed');
    const { correlationId } = proposed;
    await stack.settled();

    await receiver.waitFor(
      (spans) =>
        consumerOf(spans, 'validate-geolocation', correlationId) !== undefined &&
        spans.some((span) => span.kind === OTLP_KIND.SERVER),
      'the request and both handlers exported',
    );
    const spans = receiver.spans;
    const ours = spans.filter((span) => conversation(span) === correlationId);
    const producers = ours.filter((span) => span.kind === OTLP_KIND.PRODUCER);
    const commandWrite = producers.find((span) => span.attributes[MESSAGING.destinationName] !== undefined);
    const decider = consumerOf(spans, 'decide', correlationId);
    const validator = consumerOf(spans, 'validate-geolocation', correlationId);
    expect(decider && validator && commandWrite).toBeTruthy();

    // The decider consumed the command: it links to the span that wrote it.
    const commandSpans = producers.filter((span) => linksTo(decider, span));
    expect(commandSpans).toHaveLength(1);
    // validate-geolocation consumed the decider's event (through the fan-out and the bus): it
    // links to the decider's append, a PRODUCER inside the decider's span.
    const deciderAppends = producers.filter((span) => span.parentSpanId === decider!.spanId);
    expect(deciderAppends.length).toBeGreaterThan(0);
    expect(deciderAppends.some((append) => linksTo(validator, append))).toBe(true);
    // Both handlers told the waiting request: a PRODUCER (publish) under each.
    for (const handler of [decider!, validator!]) {
      expect(
        producers.some((span) => span.parentSpanId === handler.spanId && span.attributes[MESSAGING.system] === 'redis'),
      ).toBe(true);
    }
    for (const handler of [decider!, validator!]) {
      expect(handler.attributes).toMatchObject({
        [MESSAGING.operationType]: 'process',
        [MESSAGING.conversationId]: correlationId,
      });
      expect(handler.attributes[MESSAGING.system]).toBeTruthy();
      expect(handler.attributes[MESSAGING.destinationName]).toBeTruthy();
    }
    expect(decider!.attributes[MESSAGING.system]).toBe('aws.dynamodb_streams');
    expect(validator!.attributes[MESSAGING.system]).toBe('aws.eventbridge');

    // The request's span is the command write's parent, and it ends after the answer was told.
    const request = spans.find((span) => span.spanId === commandSpans[0]!.parentSpanId);
    expect(request?.kind).toBe(OTLP_KIND.SERVER);
    expect(request!.endTimeUnixNano).toBeGreaterThanOrEqual(validator!.startTimeUnixNano);
  });
});
