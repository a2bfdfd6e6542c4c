/**
 * OpenTelemetry traces, off by default (TRACING=off): then the tracer is a no-op and costs nothing.
 * With TRACING=otlp spans go to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT in batches; tests hand in an
 * exporter of their own (the SDK's in-memory one). A caller's W3C `traceparent` is honoured: the
 * server span continues the caller's trace.
 */
import { ProxyTracerProvider, ROOT_CONTEXT, context, defaultTextMapGetter, trace, type Context, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface TracingOptions {
  service: string;
  exporter: 'off' | 'otlp';
  endpoint?: string;
  /** Tests: spans go here, one by one, whatever `exporter` says. */
  spanExporter?: SpanExporter;
}

export interface Tracing {
  readonly enabled: boolean;
  readonly tracer: Tracer;
  /** The caller's trace context from its headers (traceparent, tracestate); the root context without them. */
  extract(headers: Record<string, string | string[] | undefined>): Context;
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
let contextManagerSet = false;

export function startTracing(options: TracingOptions): Tracing {
  if (options.exporter === 'off' && options.spanExporter === undefined) {
    return { enabled: false, tracer: new ProxyTracerProvider().getTracer(options.service), extract: () => ROOT_CONTEXT, shutdown: async () => undefined };
  }
  // Spans find their parent through the async context: one manager for the process, set once.
  if (!contextManagerSet) {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    contextManagerSet = true;
  }
  const processor = options.spanExporter
    ? new SimpleSpanProcessor(options.spanExporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: options.endpoint }));
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': options.service }), spanProcessors: [processor] });
  return {
    enabled: true,
    tracer: provider.getTracer(options.service),
    extract: (headers) => propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter),
    shutdown: () => provider.shutdown(),
  };
}

export { context, trace };
