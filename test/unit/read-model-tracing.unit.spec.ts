/**
 * The read-model hop's trace context through the real runner and deliveries, on the in-memory
 * stores, with the real SDK and an in-memory exporter: the views carry their append's context,
 * project-recent links to it and its list write carries its own, render-homepage links to that
 * and its page carries its own, invalidate-cdn links to that. The end-to-end run on the local
 * stack (test/e2e/tracing.e2e.spec.ts) proves the same on the real adapters.
 */
import { type Span, SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-node';
import type { DynamoDBStreamEvent, S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { invalidateCdn } from '../../src/handlers/invalidate-cdn.js';
import { projectRecent } from '../../src/handlers/project-recent.js';
import { renderHomepage } from '../../src/handlers/render-homepage.js';
import type { SiteBucket } from '../../src/ports/index.js';
import { createInMemoryEventStore } from '../../src/shell/memory/event-store.js';
import { createInMemoryReadModelStore } from '../../src/shell/memory/read-model-store.js';
import { createRecordingCdn } from '../../src/shell/memory/recorders.js';
import { createInMemorySiteBucket } from '../../src/shell/memory/site-bucket.js';
import { objectCreatedFunction, readModelStreamFunction } from '../../src/shell/runner/deliveries.js';
import { addLinks, carrierOf, inProducerSpan, MAX_LINKS, MESSAGING } from '../../src/shell/telemetry/index.js';
import { HOMEPAGE_KEY } from '../../src/site/assets.js';
import { RECENT_DESTINATIONS_KEY } from '../../src/topology/topology.js';
import { destination } from '../support/destinations.js';
import { silentLog } from '../support/stores.js';
import { useInMemorySpans } from '../support/in-memory-spans.js';

const { finished, reset } = useInMemorySpans();
const consumerOf = (handler: string): ReadableSpan => {
  const span = finished().find(
    (candidate) =>
      candidate.kind === SpanKind.CONSUMER && candidate.attributes[MESSAGING.consumerGroupName] === handler,
  );
  if (!span) throw new Error(`no consumer span of ${handler}`);
  return span;
};
const linkedSpanIds = (span: ReadableSpan): string[] => span.links.map((link) => link.context.spanId);
const producerUnder = (parent: ReadableSpan): ReadableSpan => {
  const span = finished().find(
    (candidate) =>
      candidate.kind === SpanKind.PRODUCER && candidate.parentSpanContext?.spanId === parent.spanContext().spanId,
  );
  if (!span) throw new Error(`no producer span under ${parent.name}`);
  return span;
};
const changes = (...keys: string[]): DynamoDBStreamEvent => ({
  Records: keys.map((pk) => ({ eventName: 'MODIFY', dynamodb: { Keys: { pk: { S: pk } } } })),
});
const created = (eTag: string): S3Event =>
  ({
    Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: HOMEPAGE_KEY, eTag, sequencer: '01' } } }],
  }) as unknown as S3Event;

describe('the read-model hop, traced', () => {
  it('links project-recent to the appends of the views it folded, render-homepage to the list write, invalidate-cdn to the page write', async () => {
    const readModels = createInMemoryReadModelStore();
    const eventStore = createInMemoryEventStore({ readModels });
    const site = createInMemorySiteBucket();
    const clock = () => '2026-11-24T10:00:00.000Z';
    // Two appends, as decide and validate-geolocation make them, each storing its views with its context.
    const appends: Span[] = [];
    for (const id of ['d1', 'd2']) {
      await inProducerSpan({ system: 'aws.dynamodb_streams', destinationName: 'events' }, (carrier, span) => {
        appends.push(span);
        const view = destination(id, id === 'd1' ? 1 : 2);
        return eventStore.appendUnits([
          {
            records: [],
            destinations: [{ destination: view, previousVersion: 0 }],
            ...(carrier ? { trace: carrier } : {}),
          },
        ]);
      });
    }

    await readModelStreamFunction(projectRecent, { readModels, clock, log: silentLog })(
      changes('destination#d1', 'destination#d2', 'destination#d1'),
    );
    const projector = consumerOf('project-recent');
    expect(linkedSpanIds(projector).sort()).toEqual(appends.map((span) => span.spanContext().spanId).sort());
    expect(projector.attributes).toMatchObject({
      [MESSAGING.system]: 'aws.dynamodb_streams',
      [MESSAGING.operationType]: 'process',
      [MESSAGING.destinationName]: 'visitplannr.read-model-table',
    });
    // A batch serves many commands: no conversation id, as on every batch consumer.
    expect(projector.attributes[MESSAGING.conversationId]).toBeUndefined();
    const listWrite = producerUnder(projector);
    expect(listWrite.attributes).toMatchObject({
      [MESSAGING.system]: 'aws.dynamodb_streams',
      [MESSAGING.destinationName]: 'visitplannr.read-model-table',
    });
    const recent = await readModels.getRecent();
    expect(recent.trace).toEqual(carrierOf(listWrite.spanContext()));
    // The list's entries carry no per-destination traces.
    expect(JSON.stringify(recent.value)).not.toContain('traceparent');

    await readModelStreamFunction(renderHomepage, { readModels, site, clock, log: silentLog })(
      changes(RECENT_DESTINATIONS_KEY),
    );
    const renderer = consumerOf('render-homepage');
    expect(linkedSpanIds(renderer)).toEqual([listWrite.spanContext().spanId]);
    const pageWrite = producerUnder(renderer);
    expect(pageWrite.attributes).toMatchObject({
      [MESSAGING.system]: 'aws.s3',
      [MESSAGING.destinationName]: 'visitplannr.site-bucket',
    });
    const page = (await site.head(HOMEPAGE_KEY))!;
    expect(page.trace).toEqual(carrierOf(pageWrite.spanContext()));

    const cdn = createRecordingCdn();
    await objectCreatedFunction(invalidateCdn, { readModels, site, cdn, clock, log: silentLog })(
      created(page.value.etag.replaceAll('"', '')),
    );
    const invalidator = consumerOf('invalidate-cdn');
    expect(linkedSpanIds(invalidator)).toEqual([pageWrite.spanContext().spanId]);
    expect(invalidator.attributes).toMatchObject({
      [MESSAGING.system]: 'aws.s3',
      [MESSAGING.destinationName]: 'visitplannr.site-bucket',
    });
  });

  it('links invalidate-cdn to nothing for a page replaced since, and invalidates all the same when the page cannot be read', async () => {
    const readModels = createInMemoryReadModelStore();
    const site = createInMemorySiteBucket();
    await inProducerSpan({ system: 'aws.s3', destinationName: 'site' }, (carrier) =>
      site.put({ key: HOMEPAGE_KEY, body: 'page', contentType: 'text/html', cacheControl: 'no-cache' }, null, carrier),
    );
    const cdn = createRecordingCdn();
    const deps = { readModels, site, cdn, clock: () => '2026-11-24T10:00:00.000Z', log: silentLog };
    await objectCreatedFunction(invalidateCdn, deps)(created('an-older-etag'));
    expect(consumerOf('invalidate-cdn').links).toEqual([]);

    reset();
    const unreadable: SiteBucket = { ...site, head: () => Promise.reject(new Error('403')) };
    await objectCreatedFunction(invalidateCdn, { ...deps, site: unreadable })(created('any'));
    expect(consumerOf('invalidate-cdn').links).toEqual([]);
    expect(cdn.invalidations()).toHaveLength(2);
  });
});

describe('addLinks', () => {
  it('links each span once, at most MAX_LINKS, skipping missing and damaged carriers', () => {
    const span = trace.getTracer('test').startSpan('consumer');
    const carriers = Array.from({ length: MAX_LINKS + 50 }, (_, i) => ({
      traceparent: `00-${'ab'.repeat(16)}-${(i + 1).toString(16).padStart(16, '0')}-01`,
    }));
    addLinks(span, [carriers[0], undefined, { traceparent: 'damaged' }, carriers[0], ...carriers]);
    span.end();
    const [ended] = finished();
    expect(ended!.links).toHaveLength(MAX_LINKS);
    expect(new Set(ended!.links.map((link) => link.context.spanId)).size).toBe(MAX_LINKS);
    expect(ended!.links[0]!.context.spanId).toBe('0000000000000001');
  });
});
