/**
 * The event store with every call measured (atlauja_store_call_duration_seconds) and, with tracing
 * on, a span per call under the active one (the command's). A Proxy, so the store keeps its class
 * (`instanceof PostgresEventStore` and its `sql` still work); subscriptions are not wrapped (they
 * live as long as the process).
 */
import { SpanKind, SpanStatusCode, context, trace, type Tracer } from '@opentelemetry/api';
import { StoreUnavailable, WrongExpectedRevision, type EventStore } from '@atlauja/event-store';
import type { Metrics } from './metrics';

const MEASURED = new Set<PropertyKey>(['append', 'readStream', 'readStreams', 'readAll', 'headPosition', 'ping']);

export function instrumentStore<S extends EventStore>(store: S, observers: { metrics?: Metrics; tracer?: Tracer }): S {
  const { metrics, tracer } = observers;
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, target);
      if (!MEASURED.has(property) || typeof value !== 'function') return value === target ? receiver : value;
      const operation = String(property);
      return async (...args: unknown[]) => {
        const started = performance.now();
        const span = tracer?.startSpan(`store.${operation}`, { kind: SpanKind.CLIENT, attributes: operation === 'append' || operation === 'readStream' || operation === 'readStreams' ? { 'atlauja.stream': String(args[0]) } : {} });
        const run = () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        try {
          const result = span ? await context.with(trace.setSpan(context.active(), span), run) : await run();
          metrics?.storeCalls.observe({ operation, outcome: 'ok' }, (performance.now() - started) / 1000);
          if (span && operation === 'append') span.setAttribute('atlauja.position', String((result as { position?: bigint }).position ?? ''));
          return result;
        } catch (error) {
          const outcome = error instanceof WrongExpectedRevision ? 'conflict' : error instanceof StoreUnavailable ? 'unavailable' : 'error';
          metrics?.storeCalls.observe({ operation, outcome }, (performance.now() - started) / 1000);
          span?.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
          throw error;
        } finally {
          span?.end();
        }
      };
    },
  });
}
