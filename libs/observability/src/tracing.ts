/**
 * OpenTelemetry traces, off by default (TRACING=off): then the tracer is a no-op and costs nothing.
 * With TRACING=otlp spans go to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT in batches; tests hand in an
 * exporter of their own (the SDK's in-memory one). A caller's W3C `traceparent` is honoured: the
 * server span continues the caller's trace.
 */
import { ProxyTracerProvider, ROOT_CONTEXT, context, defaultTextMapGetter, trace, type Context, type Tracer } from '@opentelemetry/api';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';

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

let contextManagerSet = false;

/*
 * The SDK, the exporter and the propagator are loaded only when tracing is on: with tracing off (the
 * default) they would add about a tenth of a second to every process's start-up for nothing.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const sdk = () => ({
  ...(require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks')),
  ...(require('@opentelemetry/core') as typeof import('@opentelemetry/core')),
  ...(require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')),
  ...(require('@opentelemetry/resources') as typeof import('@opentelemetry/resources')),
  ...(require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base')),
});
/* eslint-enable @typescript-eslint/no-require-imports */

export function startTracing(options: TracingOptions): Tracing {
  if (options.exporter === 'off' && options.spanExporter === undefined) {
    return { enabled: false, tracer: new ProxyTracerProvider().getTracer(options.service), extract: () => ROOT_CONTEXT, shutdown: async () => undefined };
  }
  const { AsyncLocalStorageContextManager, BasicTracerProvider, BatchSpanProcessor, OTLPTraceExporter, SimpleSpanProcessor, W3CTraceContextPropagator, resourceFromAttributes } = sdk();
  const propagator = new W3CTraceContextPropagator();
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
