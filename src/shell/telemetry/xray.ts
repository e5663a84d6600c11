/**
 * W3C traceparent ↔ the X-Ray trace header EventBridge takes in a PutEvents entry's
 * `TraceHeader` and forwards to its targets. Same ids, other spelling: an X-Ray trace id is
 * `1-` + the first 8 hex digits + `-` + the other 24 (X-Ray reads the first 8 as the epoch
 * second the trace began, which ids from XRayCompatibleIdGenerator are).
 */
import type { Carrier } from './carrier.js';
import { isTraceCarrier } from '../../domain/trace.js';

const XRAY_HEADER = /^Root=1-([0-9a-f]{8})-([0-9a-f]{24});Parent=([0-9a-f]{16});Sampled=([01])$/;

/**
 * `Root=1-xxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx;Parent=xxxxxxxxxxxxxxxx;Sampled=1`, or undefined without a usable
 * carrier.
 */
export function toXRayTraceHeader(carrier: Carrier | undefined): string | undefined {
  if (!isTraceCarrier(carrier)) return undefined;
  const [, traceId, spanId, flags] = carrier.traceparent.split('-') as [string, string, string, string];
  const sampled = Number.parseInt(flags, 16) & 1;
  return `Root=1-${traceId.slice(0, 8)}-${traceId.slice(8)};Parent=${spanId};Sampled=${sampled}`;
}

/**
 * The carrier an X-Ray trace header names (only the three fields this system writes, in its
 * order; tracestate has no X-Ray spelling), or undefined for anything else.
 */
export function fromXRayTraceHeader(header: string | undefined): Carrier | undefined {
  const match = header ? XRAY_HEADER.exec(header) : null;
  if (!match) return undefined;
  const [, epoch, unique, parent, sampled] = match as unknown as [string, string, string, string, string];
  const carrier = { traceparent: `00-${epoch}${unique}-${parent}-0${sampled}` };
  return isTraceCarrier(carrier) ? carrier : undefined;
}
