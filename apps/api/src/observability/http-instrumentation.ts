/**
 * Every request measured at the HTTP layer, where the route and the answer are known, so the
 * measures do not depend on how a command is handled inside: latency by route and status; for a
 * command (any method but GET/HEAD/OPTIONS on a known route) its outcome and refusal code (the
 * problem's `code`); for a signature upload the verdict and each failed check's code. With tracing on,
 * a server span per request continues the caller's `traceparent`.
 */
import { SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CommandOutcome, Metrics, Tracing } from '@atlauja/observability';
import { PROBLEM_CONTENT_TYPE } from '../http/problem';

const SIGNATURE_ROUTE = '/applications/:id/signature';
const QUERY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface Measured {
  atlaujaSpan?: Span;
  atlaujaProblem?: { code?: string; failures?: string[] };
}

export function serverSpanOf(request: FastifyRequest): Span | undefined {
  return (request as FastifyRequest & Measured).atlaujaSpan;
}

export function instrumentHttp(fastify: FastifyInstance, metrics: Metrics, tracing: Tracing): void {
  if (tracing.enabled) {
    fastify.addHook('onRequest', async (request) => {
      const parent = tracing.extract(request.headers);
      (request as FastifyRequest & Measured).atlaujaSpan = tracing.tracer.startSpan(
        `HTTP ${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': request.routeOptions.url ?? '', 'atlauja.correlation_id': String(request.id) } },
        parent,
      );
    });
  }
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').startsWith(PROBLEM_CONTENT_TYPE)) {
      try {
        const body = JSON.parse(payload) as { code?: string; failures?: string[] };
        (request as FastifyRequest & Measured).atlaujaProblem = { code: body.code, failures: body.failures };
      } catch {
        /* not ours to fix here */
      }
    }
    return payload;
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const measured = request as FastifyRequest & Measured;
    const route = request.routeOptions.url;
    const seconds = reply.elapsedTime / 1000;
    const status = reply.statusCode;
    metrics.httpDuration.observe({ method: request.method, route: route ?? 'unmatched', status: String(status) }, seconds);
    if (route !== undefined && !QUERY_METHODS.has(request.method)) {
      const outcome: CommandOutcome = status < 400 ? 'accepted' : status < 500 ? 'refused' : 'failed';
      metrics.recordCommand(`${request.method} ${route}`, outcome, measured.atlaujaProblem?.code ?? (status < 400 ? 'none' : `HTTP_${status}`), seconds);
      if (route === SIGNATURE_ROUTE && request.method === 'POST') {
        if (status < 300) metrics.signatureVerdicts.inc({ verdict: 'valid', code: 'none' });
        else for (const code of measured.atlaujaProblem?.failures ?? []) metrics.signatureVerdicts.inc({ verdict: 'invalid', code });
      }
    }
    const span = measured.atlaujaSpan;
    if (span) {
      span.setAttribute('http.response.status_code', status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
  });
}
