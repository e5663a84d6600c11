/**
 * Starts OpenTelemetry tracing from the standard environment variables, and nothing else:
 *
 * - `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT`: with neither set,
 *   nothing starts and the SDK is not even loaded: the API stays a no-op, spans cost a
 *   non-recording object each and no carrier is stored;
 * - `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL` / `OTEL_EXPORTER_OTLP_PROTOCOL`: `http/protobuf`
 *   (the specification's default) or `http/json`; anything else (gRPC included) is refused;
 * - `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`; `OTEL_SDK_DISABLED=true` and
 *   `OTEL_TRACES_EXPORTER=none` turn tracing off;
 * - what the SDK reads itself: `OTEL_BSP_*` (batching), `OTEL_TRACES_SAMPLER[_ARG]`, span
 *   limits, `OTEL_EXPORTER_OTLP_[TRACES_]HEADERS`, `_TIMEOUT`, `_COMPRESSION`; `OTEL_LOG_LEVEL`
 *   for the SDK's own complaints (default `warn`, so a failing export shows in the logs).
 *
 * On Lambda an invocation must not return with spans still queued (the environment is frozen
 * and may never thaw): the runner calls `flush()` before returning.
 */
import { context, diag, DiagConsoleLogger, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { withDeadline } from '../runtime/deadline.js';
import { VisitplannrError } from '../../errors/index.js';

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export type TelemetrySettings =
  { readonly enabled: false; readonly reason: string } | { readonly enabled: true; readonly protocol: OtlpProtocol };

/**
 * A setting the SDK cannot honour: the cold start fails, naming the variable, rather than tracing silently not
 * happening.
 */
export class TelemetryConfigurationError extends VisitplannrError {
  override readonly name = 'TelemetryConfigurationError';
  readonly code = 'TELEMETRY_CONFIGURATION';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

const set = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** What the environment asks for; pure, so the refusals are unit-tested. */
export function telemetrySettings(env: Environment): TelemetrySettings {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return { enabled: false, reason: 'OTEL_SDK_DISABLED' };
  const exporter = env['OTEL_TRACES_EXPORTER']?.trim().toLowerCase();
  if (exporter === 'none') return { enabled: false, reason: 'OTEL_TRACES_EXPORTER=none' };
  if (set(exporter) && exporter !== 'otlp')
    throw new TelemetryConfigurationError(
      'OTEL_TRACES_EXPORTER',
      `OTEL_TRACES_EXPORTER="${exporter}" is not supported: use "otlp" (or "none")`,
    );
  if (!set(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']) && !set(env['OTEL_EXPORTER_OTLP_ENDPOINT']))
    return { enabled: false, reason: 'no OTLP endpoint' };
  // The signal-specific variable wins over the general one, as the specification says.
  const variable = set(env['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'])
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = env[variable]?.trim() || 'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocol))
    throw new TelemetryConfigurationError(
      variable,
      `${variable}="${protocol}" is not supported: use "http/protobuf" or "http/json" (gRPC is not bundled)`,
    );
  return { enabled: true, protocol: protocol as OtlpProtocol };
}

/**
 * Trace ids whose first 8 hex digits are the epoch second they were made, as X-Ray's are (the
 * rest random): the same id is then a valid X-Ray trace id in EventBridge's TraceHeader and
 * in X-Ray itself, and an ordinary W3C id everywhere else.
 */
export const xrayCompatibleIds = {
  generateTraceId: (): string =>
    Math.floor(Date.now() / 1000)
      .toString(16)
      .padStart(8, '0') + randomHex(24),
  generateSpanId: (): string => randomHex(16),
};

function randomHex(digits: number): string {
  let hex = '';
  while (hex.length < digits)
    hex += Math.floor(Math.random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0');
  hex = hex.slice(0, digits);
  // All zeros is an invalid id; vanishingly rare, but not impossible.
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

export type FlushOutcome = 'off' | 'flushed' | 'failed' | 'timed-out';

export interface Telemetry {
  readonly settings: TelemetrySettings;
  /**
   * Exports every ended span, within `deadlineMs` (default 2 000 ms). Never throws: tracing must
   * not fail an invocation; the outcome says what happened (the SDK's diag log says why).
   */
  flush(deadlineMs?: number): Promise<FlushOutcome>;
  /** Flushes, stops the SDK and unregisters it from the API (which is a no-op again). */
  shutdown(): Promise<void>;
}

const DEFAULT_FLUSH_DEADLINE_MS = 2000;

const off = (settings: TelemetrySettings): Telemetry => ({
  settings,
  flush: () => Promise.resolve('off'),
  shutdown: () => Promise.resolve(),
});

let started: Promise<Telemetry> | undefined;

/**
 * Starts tracing as the environment says (once per process: later calls return the same
 * start). Throws TelemetryConfigurationError for a setting it cannot honour.
 */
export function startTelemetry(): Promise<Telemetry> {
  if (!started) {
    // Settings are checked synchronously, so a bad one is thrown by this call, not a later await.
    const settings = telemetrySettings(process.env);
    started = settings.enabled ? startSdk(settings) : Promise.resolve(off(settings));
    started.catch(() => (started = undefined));
  }
  return started;
}

/** Flushes the started SDK (see Telemetry.flush); `off` when tracing was never started. */
export async function flush(deadlineMs?: number): Promise<FlushOutcome> {
  return started ? (await started).flush(deadlineMs) : 'off';
}

/** Stops what startTelemetry started, so a later start reads the environment again (tests). */
export async function shutdownTelemetry(): Promise<void> {
  const current = started;
  started = undefined;
  if (current) await (await current).shutdown();
}

async function startSdk(settings: TelemetrySettings & { enabled: true }): Promise<Telemetry> {
  // Loaded only now: a function without an endpoint never pays for the SDK's modules.
  const [{ NodeTracerProvider, BatchSpanProcessor }, resources, exporterModule] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
    settings.protocol === 'http/json'
      ? import('@opentelemetry/exporter-trace-otlp-http')
      : import('@opentelemetry/exporter-trace-otlp-proto'),
  ]);
  const level = process.env['OTEL_LOG_LEVEL']?.trim().toUpperCase() ?? 'WARN';
  diag.setLogger(new DiagConsoleLogger(), {
    logLevel: DiagLogLevel[level as keyof typeof DiagLogLevel] ?? DiagLogLevel.WARN,
  });
  // The exporter reads the endpoint, headers, timeout and compression from the environment itself.
  const exporter = new exporterModule.OTLPTraceExporter();
  const provider = new NodeTracerProvider({
    resource: resources.defaultResource().merge(resources.detectResources({ detectors: [resources.envDetector] })),
    idGenerator: xrayCompatibleIds,
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  return {
    settings,
    async flush(deadlineMs = DEFAULT_FLUSH_DEADLINE_MS) {
      try {
        await withDeadline(provider.forceFlush(), deadlineMs, 'telemetry flush');
        return 'flushed';
      } catch (error) {
        diag.warn(`telemetry flush: ${error instanceof Error ? error.message : String(error)}`);
        return error instanceof Error && error.name === 'DeadlineExceededError' ? 'timed-out' : 'failed';
      }
    },
    async shutdown() {
      await withDeadline(provider.shutdown(), DEFAULT_FLUSH_DEADLINE_MS, 'telemetry shutdown').catch(() => undefined);
      trace.disable();
      context.disable();
      propagation.disable();
      diag.disable();
    },
  };
}
