/** The pure parts of tracing: carriers, the X-Ray trace header, the settings the environment gives, the ids. */
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_CONSUMER_GROUP_NAME,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_DESTINATION_TEMPLATE,
  ATTR_MESSAGING_MESSAGE_CONVERSATION_ID,
  ATTR_MESSAGING_MESSAGE_ID,
  ATTR_MESSAGING_OPERATION_NAME,
  ATTR_MESSAGING_OPERATION_TYPE,
  ATTR_MESSAGING_SYSTEM,
  ATTR_GRAPHQL_OPERATION_NAME,
  ATTR_GRAPHQL_OPERATION_TYPE,
} from '@opentelemetry/semantic-conventions/incubating';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import { describe, expect, it } from 'vitest';
import { isTraceCarrier } from '../../src/domain/trace.js';
import { fromItem, toItem } from '../../src/shell/dynamodb/record-codec.js';
import { toEntry } from '../../src/shell/fanout/entries.js';
import { GRAPHQL } from '../../src/shell/telemetry/apollo-plugin.js';
import {
  carrierOf,
  ERROR_TYPE,
  fromXRayTraceHeader,
  injectCurrent,
  MESSAGING,
  spanContextOf,
  TelemetryConfigurationError,
  telemetrySettings,
  toXRayTraceHeader,
  withTrace,
} from '../../src/shell/telemetry/index.js';
import { xrayCompatibleIds } from '../../src/shell/telemetry/setup.js';
import { buildCommand } from '../../src/resolvers/propose-destination.js';

const TRACE_ID = '5759e988bd862e3fe1be46a994272793';
const SPAN_ID = '53995c3f42cd8ad8';
const sampled = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` };

describe('trace carriers', () => {
  it('accept version-00 traceparents only, with non-zero ids and a bounded tracestate', () => {
    expect(isTraceCarrier(sampled)).toBe(true);
    expect(isTraceCarrier({ ...sampled, tracestate: 'vendor=value' })).toBe(true);
    for (const damaged of [
      undefined,
      null,
      'string',
      {},
      { traceparent: `01-${TRACE_ID}-${SPAN_ID}-01` },
      { traceparent: `00-${'0'.repeat(32)}-${SPAN_ID}-01` },
      { traceparent: `00-${TRACE_ID}-${'0'.repeat(16)}-01` },
      { traceparent: `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01` },
      { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 42 },
      { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'x'.repeat(513) },
    ])
      expect(isTraceCarrier(damaged)).toBe(false);
  });

  it('turn into remote span contexts and back unchanged', () => {
    const carrier = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, tracestate: 'a=1,b=2' };
    const spanContext = spanContextOf(carrier)!;
    expect(spanContext).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, isRemote: true });
    expect(carrierOf(spanContext)).toEqual(carrier);
    expect(carrierOf(spanContextOf(sampled)!)).toEqual(sampled);
    expect(spanContextOf({ traceparent: 'garbage' })).toBeUndefined();
  });

  it('are absent when no span is active (tracing off): nothing is stored', () => {
    expect(injectCurrent()).toBeUndefined();
    const record = { a: 1 };
    expect(withTrace(record, undefined)).toBe(record);
    expect(withTrace(record, sampled)).toEqual({ a: 1, trace: sampled });
  });
});

describe('the record codec and trace context', () => {
  const command = buildCommand({ name: 'Ghent', latitude: 51.05, longitude: 3.72 }, 'c-1', '2026-12-01T00:00:00.000Z');

  it('round-trips a record carrying a trace', () => {
    const traced = withTrace(command, { ...sampled, tracestate: 'v=1' });
    expect(fromItem(toItem(traced))).toEqual(traced);
  });

  it('decodes items written before tracing existed, as they were', () => {
    expect('trace' in command).toBe(false);
    expect(fromItem(toItem(command))).toEqual(command);
  });

  it('drops a damaged trace instead of refusing the record', () => {
    const decoded = fromItem({ ...toItem(command), trace: { traceparent: 'not one' } });
    expect(decoded).toEqual(command);
    expect('trace' in decoded).toBe(false);
  });
});

describe('the X-Ray trace header', () => {
  it('spells the same ids and sampled flag as the traceparent, both ways', () => {
    const header = `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=1`;
    expect(toXRayTraceHeader(sampled)).toBe(header);
    expect(fromXRayTraceHeader(header)).toEqual(sampled);
    const unsampled = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` };
    expect(toXRayTraceHeader(unsampled)).toBe(header.replace('Sampled=1', 'Sampled=0'));
    expect(fromXRayTraceHeader(toXRayTraceHeader(unsampled))).toEqual(unsampled);
  });

  it('keeps only the sampled bit of the flags (X-Ray has no others) and drops tracestate', () => {
    const carrier = { traceparent: `00-${TRACE_ID}-${SPAN_ID}-03`, tracestate: 'v=1' };
    expect(fromXRayTraceHeader(toXRayTraceHeader(carrier))).toEqual(sampled);
  });

  it('is absent without a usable carrier, and refuses headers it did not write', () => {
    expect(toXRayTraceHeader(undefined)).toBeUndefined();
    expect(toXRayTraceHeader({ traceparent: 'x' })).toBeUndefined();
    for (const header of [
      undefined,
      '',
      'Root=1-5759e988-bd862e3fe1be46a994272793',
      `Root=2-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=1`,
      `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=${SPAN_ID};Sampled=?`,
      `Root=1-00000000-000000000000000000000000;Parent=${SPAN_ID};Sampled=1`,
    ])
      expect(fromXRayTraceHeader(header)).toBeUndefined();
  });

  it('goes on a bus entry beside the record in the detail', () => {
    const traced = withTrace(
      buildCommand({ name: 'Ghent', latitude: 1, longitude: 2 }, 'c-2', '2026-12-01T00:00:00.000Z'),
      sampled,
    );
    const entry = toEntry(traced, 'bus');
    expect(JSON.parse(entry.Detail!)).toMatchObject({ trace: sampled });
    expect(fromXRayTraceHeader(entry.TraceHeader)).toEqual(sampled);
    const untraced = toEntry({ ...traced, trace: undefined }, 'bus');
    expect('TraceHeader' in untraced).toBe(false);
  });
});

describe('telemetry settings (standard environment variables only)', () => {
  const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };

  it('start nothing without an endpoint, or when turned off', () => {
    expect(telemetrySettings({})).toEqual({ enabled: false, reason: 'no OTLP endpoint' });
    expect(telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toMatchObject({ enabled: false });
    expect(telemetrySettings({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toMatchObject({ enabled: false });
    expect(telemetrySettings({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toMatchObject({ enabled: false });
  });

  it('default to http/protobuf, take http/json, and let the traces variables win', () => {
    expect(telemetrySettings(endpoint)).toEqual({ enabled: true, protocol: 'http/protobuf' });
    expect(
      telemetrySettings({
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://x/v1/traces',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }),
    ).toEqual({ enabled: true, protocol: 'http/json' });
    expect(
      telemetrySettings({
        ...endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      }),
    ).toEqual({ enabled: true, protocol: 'http/json' });
  });

  it('refuse other protocols and exporters, naming the variable', () => {
    const refusal = (env: Record<string, string>) => {
      try {
        telemetrySettings(env);
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const grpc = refusal({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    expect(grpc).toBeInstanceOf(TelemetryConfigurationError);
    expect(grpc).toMatchObject({ variable: 'OTEL_EXPORTER_OTLP_PROTOCOL' });
    expect(String(grpc)).toContain('OTEL_EXPORTER_OTLP_PROTOCOL="grpc" is not supported');
    expect(refusal({ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/xml' })).toMatchObject({
      variable: 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
    });
    expect(refusal({ ...endpoint, OTEL_TRACES_EXPORTER: 'zipkin' })).toMatchObject({
      variable: 'OTEL_TRACES_EXPORTER',
    });
  });
});

describe('ids and attribute names', () => {
  it('makes trace ids that are valid X-Ray ids: the first 8 hex digits are the epoch second', () => {
    const before = Math.floor(Date.now() / 1000);
    const traceId = xrayCompatibleIds.generateTraceId();
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(Number.parseInt(traceId.slice(0, 8), 16)).toBeGreaterThanOrEqual(before);
    expect(Number.parseInt(traceId.slice(0, 8), 16)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(xrayCompatibleIds.generateSpanId()).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(Array.from({ length: 100 }, () => xrayCompatibleIds.generateTraceId())).size).toBe(100);
  });

  it('uses the semantic conventions names (as the conventions package spells them today)', () => {
    expect(MESSAGING).toEqual({
      system: ATTR_MESSAGING_SYSTEM,
      operationType: ATTR_MESSAGING_OPERATION_TYPE,
      operationName: ATTR_MESSAGING_OPERATION_NAME,
      destinationName: ATTR_MESSAGING_DESTINATION_NAME,
      destinationTemplate: ATTR_MESSAGING_DESTINATION_TEMPLATE,
      conversationId: ATTR_MESSAGING_MESSAGE_CONVERSATION_ID,
      messageId: ATTR_MESSAGING_MESSAGE_ID,
      batchMessageCount: ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
      consumerGroupName: ATTR_MESSAGING_CONSUMER_GROUP_NAME,
    });
    expect(GRAPHQL).toEqual({ operationType: ATTR_GRAPHQL_OPERATION_TYPE, operationName: ATTR_GRAPHQL_OPERATION_NAME });
    expect(ERROR_TYPE).toBe(ATTR_ERROR_TYPE);
  });
});
