/** Links added to a span after it started (OpenTelemetry API 1.9's `addLinks`). */
import type { Link, Span } from '@opentelemetry/api';
import { type Carrier, spanContextOf } from './carrier.js';

/**
 * Links added at most: the SDK's default limit (OTEL_SPAN_LINK_COUNT_LIMIT), past which it drops
 * the oldest links, which would push out the ones the span started with. A batch folding more
 * messages links to the first ones it read.
 */
export const MAX_LINKS = 128;

/**
 * Links a running consumer span to the spans that made `carriers`, each once, at most MAX_LINKS
 * (missing or damaged carriers are skipped): for work that learns its messages' creation
 * contexts only after its span started, from what it read.
 */
export function addLinks(span: Span, carriers: readonly (Carrier | undefined)[]): void {
  if (!span.isRecording()) return;
  const links = new Map<string, Link>();
  for (const carrier of carriers) {
    const spanContext = spanContextOf(carrier);
    if (spanContext) links.set(`${spanContext.traceId}-${spanContext.spanId}`, { context: spanContext });
    if (links.size === MAX_LINKS) break;
  }
  if (links.size > 0) span.addLinks([...links.values()]);
}
