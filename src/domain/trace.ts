/**
 * W3C trace context as data (https://www.w3.org/TR/trace-context/): what a stored record, a
 * bus entry or a notification carries so that whoever handles it later can link its work to
 * the work that produced it. DynamoDB Streams and Redis carry no context of their own, so it
 * travels inside the message. Plain data: the domain knows nothing of OpenTelemetry.
 */
export interface TraceCarrier {
  /** `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>` */
  readonly traceparent: string;
  /** Vendor entries, passed on unchanged (at most 512 characters, as the W3C spec lets a receiver cut it). */
  readonly tracestate?: string;
}

// Version 00 only: a receiver may not parse fields of a later version the same way. All-zero ids are invalid.
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
const MAX_TRACESTATE_LENGTH = 512;

/**
 * True when `value` is a carrier a consumer can use; anything else (a damaged or foreign field) is ignored, never
 * fatal.
 */
export function isTraceCarrier(value: unknown): value is TraceCarrier {
  if (typeof value !== 'object' || value === null) return false;
  const { traceparent, tracestate } = value as Record<string, unknown>;
  if (typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent)) return false;
  return tracestate === undefined || (typeof tracestate === 'string' && tracestate.length <= MAX_TRACESTATE_LENGTH);
}
