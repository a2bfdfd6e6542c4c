import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DEFAULT_MAX_CONTAINER_BYTES } from '@atlauja/signatures';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { executorProgress, Metrics, projectionLag, startTracing } from '@atlauja/observability';
import { AppModule, AppOverrides } from './app.module';
import { EVENT_STORE } from './store/tokens';
import type { EventStore } from '@atlauja/event-store';
import { ReadModelsHost } from './read-models/read-models.host';
import { instrumentHttp } from './observability/http-instrumentation';
import { CommandTracingInterceptor } from './observability/command-tracing.interceptor';
import { storeAndDomainTranslators } from './http/store-and-domain-problems';
import { AppConfig } from './config/configuration';
import { createLogger, NestPinoLogger } from './logging/logger';
import { ProblemFilter } from './http/problem.filter';
import { validationPipe } from './http/validation';
import { MAX_BODY_DEPTH, nestingDepthExceeds } from './http/body-depth';
import { problem, PROBLEM_CONTENT_TYPE, ProblemError } from './http/problem';
import { mountOpenApi } from './docs/openapi';
import { portalDirectory, servePortal } from './session/portal-static';

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface AppOptions extends AppOverrides {
  /** Where log lines go (tests capture them to prove nothing secret is logged). */
  logSink?: { write(line: string): void };
  /** The built portal's folder (default: PORTAL_DIR, else dist/portal). */
  portalDir?: string;
}

/** Builds the whole HTTP application for a configuration; main.ts and the tests share it. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<{ app: NestFastifyApplication; logger: Logger; metrics: Metrics }> {
  const logger = createLogger(config.logLevel, options.logSink);
  const metrics = new Metrics();
  const tracing = startTracing({ service: 'atlauja-api', exporter: config.tracing.exporter, endpoint: config.tracing.endpoint, spanExporter: options.spanExporter });
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    // A caller's correlation id is kept when it is safe to log; otherwise we make one.
    // Errors Fastify raises before any route (a malformed URL, an over-long parameter) take our shape too.
    frameworkErrors: (error: Error, request: { id: unknown }, reply: FastifyReply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      void reply
        .status(status)
        .header('content-type', PROBLEM_CONTENT_TYPE)
        .send(problem(status, status === 414 ? 'URI too long' : 'Malformed request', { code: (error as { code?: string }).code, correlationId: String(request.id) }));
    },
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-correlation-id'];
      return typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options, { metrics, tracing }), adapter, {
    logger: new NestPinoLogger(logger),
    bufferLogs: false,
    // A provider that cannot start (the store unreachable, a bad trust folder) rejects here, so that
    // main says why in one line and tests see the error, instead of Nest exiting the process.
    abortOnError: false,
  });
  const filter = new ProblemFilter(logger, storeAndDomainTranslators);
  app.useGlobalFilters(filter);
  app.useGlobalPipes(validationPipe());
  app.useGlobalInterceptors(app.get(CommandTracingInterceptor));
  mountOpenApi(app);
  const fastify = app.getHttpAdapter().getInstance();
  instrumentHttp(fastify, metrics, tracing);
  const readModels = app.get(ReadModelsHost, { strict: false });
  const store = app.get<symbol, EventStore>(EVENT_STORE, { strict: false });
  metrics.readFrom({
    projections: projectionLag(() => readModels.progress, store),
    executor: executorProgress(() => { try { return readModels.sql; } catch { return null; } }, config.readModelSchema),
  });
  // A signed object is uploaded as raw bytes: a .p7s, a signed PDF or an EDOC, which carries the PDF (hence its own limit).
  fastify.addContentTypeParser(
    ['application/pkcs7-signature', 'application/octet-stream', 'application/pdf', 'application/vnd.etsi.asic-e+zip', 'application/zip'],
    { parseAs: 'buffer', bodyLimit: Math.max(config.bodyLimitBytes, DEFAULT_MAX_CONTAINER_BYTES) },
    (_req, body, done) => done(null, body),
  );
  // The portal, same origin: its pages and assets with their Content-Security-Policy.
  await servePortal(fastify, options.portalDir ?? portalDirectory(config.env));
  fastify.addHook('preValidation', async (request) => {
    if (nestingDepthExceeds(request.body)) {
      throw new ProblemError(problem(400, 'Invalid request', { type: 'validation', detail: `the body is nested deeper than ${MAX_BODY_DEPTH} levels` }));
    }
  });
  // Fastify's own errors (body parsing, limits) reach the filter too: Nest maps them to HttpException.
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
  });
  return { app, logger, metrics };
}
