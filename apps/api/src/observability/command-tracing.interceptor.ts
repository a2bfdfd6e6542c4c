/**
 * With tracing on: a span per handled request under the server span (`command POST /applications/:id/approve`,
 * or `query GET ...`), active while the handler runs, so the store's spans are its children; after a
 * command that returns a `position`, a `projection` span that ends when this process's projections
 * include it (local mode; a replica whose worker projects has no runner to wait on).
 */
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import { Observable, tap } from 'rxjs';
import type { Tracing } from '@atlauja/observability';
import { ProjectionRunner } from '@atlauja/projections';
import { ReadModelsHost } from '../read-models/read-models.host';
import { serverSpanOf } from './http-instrumentation';
import { TRACING } from './tokens';

/** How long a projection span may wait for the runner before it ends as 'timeout'. */
const PROJECTION_SPAN_BOUND_MS = 30_000;

@Injectable()
export class CommandTracingInterceptor implements NestInterceptor {
  constructor(@Inject(TRACING) private readonly tracing: Tracing, private readonly moduleRef: ModuleRef) {}

  intercept(executionContext: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.tracing.enabled || executionContext.getType() !== 'http') return next.handle();
    const request = executionContext.switchToHttp().getRequest<FastifyRequest>();
    const parent = serverSpanOf(request);
    const base = parent ? trace.setSpan(context.active(), parent) : context.active();
    const isQuery = request.method === 'GET' || request.method === 'HEAD';
    const name = `${isQuery ? 'query' : 'command'} ${request.method} ${request.routeOptions.url ?? ''}`;
    const span = this.tracing.tracer.startSpan(name, { attributes: { 'atlauja.handler': executionContext.getHandler().name } }, base);
    const active = trace.setSpan(base, span);
    // Nest binds the handler to the async context current when handle() is called: call it inside ours.
    return context.with(active, () => next.handle()).pipe(
      tap({
        next: (body) => {
          span.end();
          const position = (body as { position?: unknown } | null)?.position;
          if (!isQuery && typeof position === 'string' && /^\d+$/.test(position)) this.traceProjection(active, BigInt(position));
        },
        error: (error: unknown) => {
          span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
          span.end();
        },
      }),
    );
  }

  private traceProjection(parent: ReturnType<typeof context.active>, position: bigint): void {
    let readModels: ReadModelsHost;
    try {
      readModels = this.moduleRef.get(ReadModelsHost, { strict: false });
      if (!(readModels.progress instanceof ProjectionRunner)) return;
    } catch {
      return;
    }
    const span = this.tracing.tracer.startSpan('projection', { attributes: { 'atlauja.position': position.toString() } }, parent);
    void readModels.progress.waitForPosition(position, PROJECTION_SPAN_BOUND_MS).then(
      (outcome) => {
        span.setAttribute('atlauja.projection.outcome', outcome);
        if (outcome !== 'reached') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        span.end();
      },
      () => span.end(),
    );
  }
}
