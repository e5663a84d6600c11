/**
 * W3C trace context carriers ↔ OpenTelemetry span contexts. Formatting and parsing are done
 * here rather than through the global propagator: carriers are stored data (items, bus
 * entries, notifications), not headers, and must read the same whatever OTEL_PROPAGATORS
 * says. Only `@opentelemetry/api` is loaded, so this costs nothing when tracing is off.
 */
import { context, createTraceState, isSpanContextValid, type SpanContext, trace } from '@opentelemetry/api';
import { isTraceCarrier, type TraceCarrier } from '../../domain/trace.js';

/** What a message carries: `{ traceparent, tracestate? }` (the domain's TraceCarrier). */
export type Carrier = TraceCarrier;

/** The carrier of a span context, or undefined for an invalid one (tracing off: no span, nothing to carry). */
export function carrierOf(spanContext: SpanContext): Carrier | undefined {
  if (!isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  const traceparent = `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
  const tracestate = spanContext.traceState?.serialize();
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/** The carrier of the active span: what to store with a message written now. Undefined when no span is active. */
export function injectCurrent(): Carrier | undefined {
  const span = trace.getSpan(context.active());
  return span ? carrierOf(span.spanContext()) : undefined;
}

/** The remote span context a carrier names, or undefined when it is missing or damaged (never an error). */
export function spanContextOf(carrier: unknown): SpanContext | undefined {
  if (!isTraceCarrier(carrier)) return undefined;
  const [, traceId, spanId, flags] = carrier.traceparent.split('-') as [string, string, string, string];
  return {
    traceId,
    spanId,
    traceFlags: Number.parseInt(flags, 16),
    isRemote: true,
    ...(carrier.tracestate ? { traceState: createTraceState(carrier.tracestate) } : {}),
  };
}

/**
 * `record` with `trace` set to `carrier`, or `record` itself when there is none, so no
 * `trace: undefined` attribute is ever written.
 */
export function withTrace<T extends object>(record: T, carrier: Carrier | undefined): T & { trace?: Carrier } {
  return carrier ? { ...record, trace: carrier } : record;
}
