/**
 * One proposal traced across every asynchronous hop of the running local stack, exported over
 * OTLP/HTTP to a real receiver: the GraphQL request (SERVER) writes the command (PRODUCER); the
 * decider (CONSUMER, from the event table's stream) links to it and appends its decision
 * (PRODUCER); validate-geolocation (CONSUMER, from the bus) links to that append; each handler's
 * notification is a PRODUCER; every hop carries the proposal's correlation id as the
 * conversation id. The request's span ends with the answer. Then the read-model hop, whose
 * handlers fold many commands (so no conversation id) and find their producers in what they
 * read: project-recent (CONSUMER, from the read-model stream) links to an append that wrote the
 * proposal's view and writes the list (PRODUCER); render-homepage links to that write and
 * publishes the page (PRODUCER); invalidate-cdn (CONSUMER, from the bucket) links to that.
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

/** The read-model hop from the proposal's appends, each step found from the one before by its link. */
function followReadModelHop(spans: readonly ReceivedSpan[], appends: readonly ReceivedSpan[]) {
  const consumers = (handler: string, fedBy: readonly ReceivedSpan[]) =>
    spans.filter(
      (span) =>
        span.kind === OTLP_KIND.CONSUMER &&
        span.attributes[MESSAGING.consumerGroupName] === handler &&
        fedBy.some((producer) => linksTo(span, producer)),
    );
  const producersUnder = (parents: readonly ReceivedSpan[]) =>
    spans.filter(
      (span) => span.kind === OTLP_KIND.PRODUCER && parents.some((parent) => span.parentSpanId === parent.spanId),
    );
  const projectors = consumers('project-recent', appends);
  const listWrites = producersUnder(projectors);
  const renderers = consumers('render-homepage', listWrites);
  const pageWrites = producersUnder(renderers);
  const invalidators = consumers('invalidate-cdn', pageWrites);
  return { projectors, listWrites, renderers, pageWrites, invalidators };
}

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

    // The read-model hop. Each append of the proposal stored its carrier with the view it wrote.
    const appends = producers.filter(
      (span) =>
        span.attributes[MESSAGING.system] === 'aws.dynamodb_streams' &&
        [decider!.spanId, validator!.spanId].includes(span.parentSpanId),
    );
    expect(appends).toHaveLength(2);
    // A broken step is named by the assertions below, not by the wait's timeout.
    await receiver
      .waitFor(
        (received) => followReadModelHop(received, appends).invalidators.length > 0,
        'the read-model hop followed to invalidate-cdn',
      )
      .catch(() => undefined);
    const hop = followReadModelHop(receiver.spans, appends);
    expect(hop.projectors.length, 'project-recent links to an append of the view').toBeGreaterThan(0);
    expect(hop.listWrites.length, "project-recent's list write is a PRODUCER").toBeGreaterThan(0);
    expect(hop.renderers.length, "render-homepage links to project-recent's list write").toBeGreaterThan(0);
    expect(hop.pageWrites.length, "render-homepage's publish is a PRODUCER").toBeGreaterThan(0);
    expect(hop.invalidators.length, "invalidate-cdn links to render-homepage's publish").toBeGreaterThan(0);
    const process = (system: string, destinationName: string, handler: string) => ({
      [MESSAGING.system]: system,
      [MESSAGING.operationType]: 'process',
      [MESSAGING.destinationName]: destinationName,
      [MESSAGING.consumerGroupName]: handler,
    });
    const send = (system: string, destinationName: string) => ({
      [MESSAGING.system]: system,
      [MESSAGING.operationType]: 'send',
      [MESSAGING.destinationName]: destinationName,
    });
    const readModelTable = 'visitplannr.read-model-table';
    const siteBucket = 'visitplannr.site-bucket';
    const expectAttributes = (spans: readonly ReceivedSpan[], attributes: Record<string, string>) => {
      for (const span of spans) {
        expect(span.attributes, span.name).toMatchObject(attributes);
        // They fold many commands' changes: no one conversation, as on every batch consumer.
        expect(span.attributes[MESSAGING.conversationId], span.name).toBeUndefined();
      }
    };
    expectAttributes(hop.projectors, process('aws.dynamodb_streams', readModelTable, 'project-recent'));
    expectAttributes(hop.listWrites, send('aws.dynamodb_streams', readModelTable));
    expectAttributes(hop.renderers, process('aws.dynamodb_streams', readModelTable, 'render-homepage'));
    expectAttributes(hop.pageWrites, send('aws.s3', siteBucket));
    expectAttributes(hop.invalidators, process('aws.s3', siteBucket, 'invalidate-cdn'));
  });
});
