import 'reflect-metadata';
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
import { holdRequestsUntilStarted, Startup } from './health/startup';
import { instrumentHttp } from './observability/http-instrumentation';
import { CommandTracingInterceptor } from './observability/command-tracing.interceptor';
import { storeAndDomainTranslators } from './http/store-and-domain-problems';
import { AppConfig } from './config/configuration';
import { createLogger, NestPinoLogger } from './logging/logger';
import { ProblemFilter } from './http/problem.filter';
import { validationPipe } from './http/validation';
import { problem } from './http/problem';
import { sendProblem } from './http/problem-reply';
import { correlationIdOf } from './http/correlation-id';
import { installRequestChecks } from './http/request-checks';
import { mountOpenApi } from './docs/openapi';
import { portalDirectory, servePortal } from './session/portal-static';

/** A .p7s may be uploaded as raw bytes, to this route only; every other body is JSON. */
/** The signed objects a representative uploads as they are: a .p7s, a signed PDF, an EDOC (ASiC-E). */
const RAW_SIGNATURE_TYPES = ['application/pkcs7-signature', 'application/octet-stream', 'application/pdf', 'application/vnd.etsi.asic-e+zip', 'application/zip'];
const RAW_BODY_ROUTES = { '/applications/:id/signature': RAW_SIGNATURE_TYPES };

export interface AppOptions extends AppOverrides {
  /** Where log lines go (tests capture them to prove nothing secret is logged). */
  logSink?: { write(line: string): void };
  /** The built portal's folder (default: PORTAL_DIR, else dist/portal). */
  portalDir?: string;
}

/**
 * Builds the whole HTTP application for a configuration; main.ts and the tests share it. After
 * `init` (or `listen`) `startup.done` says when the start has finished behind it (see Startup).
 */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<{ app: NestFastifyApplication; logger: Logger; metrics: Metrics; startup: Startup }> {
  const logger = createLogger(config.logLevel, options.logSink);
  const metrics = new Metrics();
  const tracing = startTracing({ service: 'atlauja-api', exporter: config.tracing.exporter, endpoint: config.tracing.endpoint, spanExporter: options.spanExporter });
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    // Errors Fastify raises before any route (a malformed URL, an over-long parameter) take our shape too.
    frameworkErrors: (error: Error, request: { id: unknown; url?: string }, reply: FastifyReply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      void sendProblem(reply, request, problem(status, status === 414 ? 'URI too long' : 'Malformed request'));
    },
    // A caller's correlation id is kept when it is safe to echo, log and store; otherwise we make one.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => correlationIdOf(req.headers['x-correlation-id']),
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
  const startup = app.get(Startup);
  // A store that cannot open fails the start, whatever else waits on it.
  const { openingStore } = options;
  if (openingStore) startup.run(async () => void (await openingStore.opened()));
  instrumentHttp(fastify, metrics, tracing);
  holdRequestsUntilStarted(fastify, startup);
  const readModels = app.get(ReadModelsHost, { strict: false });
  const store = app.get<symbol, EventStore>(EVENT_STORE, { strict: false });
  metrics.readFrom({
    projections: projectionLag(() => readModels.progress, store),
    executor: executorProgress(() => { try { return readModels.sql; } catch { return null; } }, config.readModelSchema),
  });
  // A signed object is uploaded as raw bytes: a .p7s, a signed PDF or an EDOC, which carries the PDF (hence its own limit).
  fastify.addContentTypeParser(RAW_SIGNATURE_TYPES, { parseAs: 'buffer', bodyLimit: Math.max(config.bodyLimitBytes, DEFAULT_MAX_CONTAINER_BYTES) }, (_req, body, done) => done(null, body));
  // Content types, text (no control characters, no lone surrogates), nesting: 4xx naming the field, before any route.
  installRequestChecks(fastify, RAW_BODY_ROUTES);
  // The portal, same origin: its pages and assets with their Content-Security-Policy.
  await servePortal(fastify, options.portalDir ?? portalDirectory(config.env));
  // Fastify's own errors (body parsing, limits) reach the filter too: Nest maps them to HttpException.
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
  });
  return { app, logger, metrics, startup };
}
