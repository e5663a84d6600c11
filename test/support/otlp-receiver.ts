/**
 * A small, real OTLP/HTTP trace receiver, as a collector's `otlphttp` receiver is: POST
 * `/v1/traces` with an ExportTraceServiceRequest as `application/json` (OTLP/JSON: hex ids,
 * lowerCamelCase fields) or `application/x-protobuf` (decoded by protobufjs with the message
 * definitions below, transcribed from opentelemetry-proto v1: common, resource, trace and the
 * trace service, field numbers as published), gzip or not. It answers 200 with an empty
 * ExportTraceServiceResponse in the request's encoding, and keeps every span in one shape
 * whichever encoding it came in, so a test asserts the same way for both protocols.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { eventually } from './eventually.js';

const OTLP_TRACE_PROTO = `
syntax = "proto3";
package opentelemetry.proto;
message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message InstrumentationScope { string name = 1; string version = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
message Resource { repeated KeyValue attributes = 1; uint32 dropped_attributes_count = 2; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
message ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  string trace_state = 3;
  bytes parent_span_id = 4;
  fixed32 flags = 16;
  string name = 5;
  SpanKind kind = 6;
  fixed64 start_time_unix_nano = 7;
  fixed64 end_time_unix_nano = 8;
  repeated KeyValue attributes = 9;
  uint32 dropped_attributes_count = 10;
  repeated Event events = 11;
  uint32 dropped_events_count = 12;
  repeated Link links = 13;
  uint32 dropped_links_count = 14;
  Status status = 15;
  message Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped_attributes_count = 4; }
  message Link { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; repeated KeyValue attributes = 4; uint32 dropped_attributes_count = 5; fixed32 flags = 6; }
  enum SpanKind { SPAN_KIND_UNSPECIFIED = 0; SPAN_KIND_INTERNAL = 1; SPAN_KIND_SERVER = 2; SPAN_KIND_CLIENT = 3; SPAN_KIND_PRODUCER = 4; SPAN_KIND_CONSUMER = 5; }
}
message Status { string message = 2; StatusCode code = 3; enum StatusCode { STATUS_CODE_UNSET = 0; STATUS_CODE_OK = 1; STATUS_CODE_ERROR = 2; } }
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ExportTraceServiceResponse { }
`;

const root = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: false }).root;
const ExportRequest = root.lookupType('opentelemetry.proto.ExportTraceServiceRequest');
const ExportResponse = root.lookupType('opentelemetry.proto.ExportTraceServiceResponse');

/** OTLP span kinds (SpanKind in trace.proto): OpenTelemetry's API kind + 1. */
export const OTLP_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
/** OTLP status codes. */
export const OTLP_STATUS = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export type AttributeValue = string | number | boolean | AttributeValue[] | null;

export interface ReceivedLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceState: string;
}

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  readonly events: readonly { readonly name: string; readonly attributes: Readonly<Record<string, AttributeValue>> }[];
  readonly links: readonly ReceivedLink[];
  readonly status: { readonly code: number; readonly message: string };
  /** The resource the span came with (`service.name`, …). */
  readonly resource: Readonly<Record<string, AttributeValue>>;
  readonly scope: string;
}

export interface ReceivedRequest {
  readonly path: string;
  readonly contentType: string;
  readonly encoding: 'json' | 'protobuf';
  readonly spanCount: number;
}

export interface OtlpReceiver {
  /** The base URL: what OTEL_EXPORTER_OTLP_ENDPOINT takes (exporters append `/v1/traces`). */
  readonly url: string;
  readonly requests: readonly ReceivedRequest[];
  readonly spans: readonly ReceivedSpan[];
  /** Resolves once `predicate` holds for the spans received so far; fails after `timeoutMs`. */
  waitFor(predicate: (spans: readonly ReceivedSpan[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

// Decoded messages in both encodings are plain objects of these shapes (protobufjs: camelCase fields).
type Json = Record<string, unknown>;

const hex = (value: unknown): string =>
  value instanceof Uint8Array ? Buffer.from(value).toString('hex') : typeof value === 'string' ? value : '';

/** A decoded scalar as text (an int64 is a string, or in JSON maybe a number); '' when absent. */
const text = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

function anyValue(value: Json | undefined): AttributeValue {
  if (!value) return null;
  if (value['stringValue'] !== undefined) return text(value['stringValue']);
  if (value['boolValue'] !== undefined) return Boolean(value['boolValue']);
  if (value['intValue'] !== undefined) return Number(value['intValue']);
  if (value['doubleValue'] !== undefined) return Number(value['doubleValue']);
  if (value['arrayValue'] !== undefined)
    return (((value['arrayValue'] as Json)['values'] as Json[] | undefined) ?? []).map(anyValue);
  if (value['bytesValue'] !== undefined) return hex(value['bytesValue']);
  return null;
}

const attributes = (list: unknown): Record<string, AttributeValue> =>
  Object.fromEntries(
    ((list as Json[] | undefined) ?? []).map((kv) => [String(kv['key']), anyValue(kv['value'] as Json)]),
  );

const nanos = (value: unknown): bigint => BigInt(text(value) || 0);

function spansOf(request: Json): ReceivedSpan[] {
  return ((request['resourceSpans'] as Json[] | undefined) ?? []).flatMap((resourceSpans) => {
    const resource = attributes((resourceSpans['resource'] as Json | undefined)?.['attributes']);
    return ((resourceSpans['scopeSpans'] as Json[] | undefined) ?? []).flatMap((scopeSpans) =>
      ((scopeSpans['spans'] as Json[] | undefined) ?? []).map((span) => ({
        traceId: hex(span['traceId']),
        spanId: hex(span['spanId']),
        parentSpanId: hex(span['parentSpanId']),
        name: text(span['name']),
        kind: Number(span['kind'] ?? 0),
        startTimeUnixNano: nanos(span['startTimeUnixNano']),
        endTimeUnixNano: nanos(span['endTimeUnixNano']),
        attributes: attributes(span['attributes']),
        events: ((span['events'] as Json[] | undefined) ?? []).map((event) => ({
          name: text(event['name']),
          attributes: attributes(event['attributes']),
        })),
        links: ((span['links'] as Json[] | undefined) ?? []).map((link) => ({
          traceId: hex(link['traceId']),
          spanId: hex(link['spanId']),
          traceState: text(link['traceState']),
        })),
        status: {
          code: Number((span['status'] as Json | undefined)?.['code'] ?? 0),
          message: text((span['status'] as Json | undefined)?.['message']),
        },
        resource,
        scope: text((scopeSpans['scope'] as Json | undefined)?.['name']),
      })),
    );
  });
}

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return request.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = [];
  const spans: ReceivedSpan[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const contentType = request.headers['content-type'] ?? '';
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      try {
        const body = await bodyOf(request);
        if (contentType.startsWith('application/x-protobuf')) {
          const decoded = ExportRequest.toObject(ExportRequest.decode(body), { longs: String, enums: Number });
          const received = spansOf(decoded);
          requests.push({ path: request.url, contentType, encoding: 'protobuf', spanCount: received.length });
          spans.push(...received);
          response.writeHead(200, { 'content-type': 'application/x-protobuf' });
          response.end(Buffer.from(ExportResponse.encode(ExportResponse.create({})).finish()));
        } else if (contentType.startsWith('application/json')) {
          const received = spansOf(JSON.parse(body.toString('utf8')) as Json);
          requests.push({ path: request.url, contentType, encoding: 'json', spanCount: received.length });
          spans.push(...received);
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          response.writeHead(415).end();
        }
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans,
    async waitFor(predicate, what, timeoutMs = 10_000) {
      await eventually(() => predicate(spans), { what, timeoutMs });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
