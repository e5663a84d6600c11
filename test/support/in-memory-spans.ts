/**
 * The real OpenTelemetry SDK registered for one test file, exporting into memory: the spans
 * that ended are read back, and each test starts with none (a test may also forget them half-way).
 */
import { context, propagation, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export function useInMemorySpans(): { readonly finished: () => ReadableSpan[]; readonly reset: () => void } {
  const exporter = new InMemorySpanExporter();
  let provider: NodeTracerProvider;
  beforeAll(() => {
    provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    provider.register();
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());
  return { finished: () => exporter.getFinishedSpans(), reset: () => exporter.reset() };
}
