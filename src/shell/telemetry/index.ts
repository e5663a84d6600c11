/**
 * Tracing for the runner, the resolvers and the composition roots: start it once per process
 * (startTelemetry), wrap work in the spans of spans.ts, store carriers with messages, and
 * flush before a Lambda invocation returns. The Apollo plugin is exported separately
 * (apollo-plugin.ts), so code without Apollo does not load it.
 */
export { type Carrier, carrierOf, injectCurrent, spanContextOf, withTrace } from './carrier.js';
export { addLinks, MAX_LINKS } from './links.js';
export {
  type ConsumerSpanOptions,
  DESTINATIONS,
  ERROR_TYPE,
  inConsumerSpan,
  inProducerSpan,
  inRequestSpan,
  linkActiveSpan,
  MESSAGING,
  type MessagingSystem,
  type ProducerOperation,
  type ProducerSpan,
  type ProducerSpanOptions,
  recordFailure,
  type RequestSpanOptions,
  startProducerSpan,
  tracingIsOn,
} from './spans.js';
export {
  flush,
  type FlushOutcome,
  type OtlpProtocol,
  shutdownTelemetry,
  startTelemetry,
  type Telemetry,
  TelemetryConfigurationError,
  type TelemetrySettings,
  telemetrySettings,
} from './setup.js';
export { fromXRayTraceHeader, toXRayTraceHeader } from './xray.js';
export { writePathTracing } from './write-path.js';
