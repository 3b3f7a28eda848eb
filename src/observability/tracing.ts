import type { Span, Tracer } from '@opentelemetry/api';
import type { Telemetry } from 'bullmq';

/**
 * What a span may carry: names, ids, counts and reasons, never a credential (secrets stay in
 * `Secret` objects, which no caller hands here).
 */
export type SpanAttributes = Readonly<Record<string, string | number | boolean | string[]>>;

/** The span a piece of work runs in; a no-op when tracing is off. */
export interface SpanHandle {
  setAttributes(attributes: SpanAttributes): void;
  /** Marks the span failed with a reason: for an outcome reported as data rather than thrown. */
  fail(reason: string): void;
  event(name: string, attributes?: SpanAttributes): void;
}

const NO_SPAN: SpanHandle = { setAttributes() {}, fail() {}, event() {} };

interface ActiveTracing {
  readonly tracer: Tracer;
  readonly activeSpan: () => Span | undefined;
  readonly errorStatus: number;
  readonly telemetry: Telemetry;
  shutdown(): Promise<void>;
}

let active: ActiveTracing | undefined;

/** Tracing is asked for as OpenTelemetry's own variables ask for it: an OTLP endpoint, no opt-out. */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return Boolean(endpoint) && env.OTEL_SDK_DISABLED !== 'true' && env.OTEL_TRACES_EXPORTER !== 'none';
}

/**
 * Starts exporting traces over OTLP/HTTP (JSON) when an endpoint is configured. The SDK is loaded
 * only then: without an endpoint this imports nothing and every span below is a plain call.
 * Must run before queues and workers are made, so that BullMQ's own spans join in.
 */
export async function startTracing(identity: {
  readonly role: string;
  readonly command: string;
}): Promise<void> {
  if (active || !tracingRequested()) return;
  const [
    api,
    sdk,
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
    otlp,
    resources,
    semconv,
    { BullMQOtel },
  ] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
    import('bullmq-otel'),
  ]);
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, win over these defaults.
  const resource = resources
    .resourceFromAttributes({
      [semconv.ATTR_SERVICE_NAME]: 'dirsync',
      'dirsync.role': identity.role,
      'dirsync.command': identity.command,
    })
    .merge(
      resources.detectResources({
        detectors: [resources.resourceAttributesEnvDetector, resources.serviceNameEnvDetector],
      }),
    );
  const provider = new sdk.TracerProvider({
    resource,
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter: new otlp.OTLPTraceExporter() })],
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  active = {
    tracer: api.trace.getTracer('dirsync'),
    activeSpan: () => api.trace.getActiveSpan(),
    errorStatus: api.SpanStatusCode.ERROR,
    telemetry: new BullMQOtel({ tracerName: 'bullmq' }),
    shutdown: () => provider.shutdown(),
  };
}

/** Sends the spans still buffered and stops: a command calls it before it exits. */
export async function stopTracing(): Promise<void> {
  const stopping = active;
  active = undefined;
  // A collector that is down loses these spans; it must not change how the command ends.
  await stopping?.shutdown().catch(() => {});
}

/** Options for BullMQ queues and workers: its own spans, and the trace context carried in each job. */
export function queueTelemetry(): { telemetry?: Telemetry } {
  return active ? { telemetry: active.telemetry } : {};
}

/** Runs `work` in a span, a child of the span it is called in; a thrown error is recorded on it. */
export function withSpan<T>(
  name: string,
  attributes: SpanAttributes,
  work: (span: SpanHandle) => Promise<T>,
): Promise<T> {
  const tracing = active;
  if (!tracing) return work(NO_SPAN);
  return tracing.tracer.startActiveSpan(name, { attributes }, (span) => inSpan(tracing, span, work));
}

/**
 * Runs `work` in the root span of a trace of its own (one per run), linked to the span it is
 * called in (BullMQ's, for a run taken from the queue): a run's trace holds that run alone.
 */
export function withTrace<T>(
  name: string,
  attributes: SpanAttributes,
  work: (span: SpanHandle) => Promise<T>,
): Promise<T> {
  const tracing = active;
  if (!tracing) return work(NO_SPAN);
  const caller = tracing.activeSpan();
  return tracing.tracer.startActiveSpan(
    name,
    { attributes, root: true, links: caller ? [{ context: caller.spanContext() }] : [] },
    (span) => inSpan(tracing, span, work),
  );
}

/** The span the caller runs in, for what it learns along the way. */
export function currentSpan(): SpanHandle {
  const tracing = active;
  const span = tracing?.activeSpan();
  return tracing && span ? handleOf(tracing, span) : NO_SPAN;
}

/** The attributes every span of a run carries. */
export function runAttributes(tenant: string, runId: string): SpanAttributes {
  return { 'dirsync.tenant': tenant, 'dirsync.run.id': runId };
}

async function inSpan<T>(
  tracing: ActiveTracing,
  span: Span,
  work: (span: SpanHandle) => Promise<T>,
): Promise<T> {
  const handle = handleOf(tracing, span);
  try {
    return await work(handle);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    handle.fail(error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    span.end();
  }
}

function handleOf(tracing: ActiveTracing, span: Span): SpanHandle {
  return {
    setAttributes: (attributes) => span.setAttributes(attributes),
    fail: (reason) => span.setStatus({ code: tracing.errorStatus, message: reason }),
    event: (name, attributes) => span.addEvent(name, attributes),
  };
}
