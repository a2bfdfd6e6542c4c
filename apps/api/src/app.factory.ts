import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { AppModule, AppOverrides } from './app.module';
import { storeAndDomainTranslators } from './http/store-and-domain-problems';
import { AppConfig } from './config/configuration';
import { createLogger, NestPinoLogger } from './logging/logger';
import { ProblemFilter } from './http/problem.filter';
import { validationPipe } from './http/validation';
import { problem, PROBLEM_CONTENT_TYPE } from './http/problem';
import { correlationIdOf } from './http/correlation-id';
import { installRequestChecks } from './http/request-checks';
import { mountOpenApi } from './docs/openapi';

/** A .p7s may be uploaded as raw bytes, to this route only; every other body is JSON. */
const RAW_SIGNATURE_TYPES = ['application/pkcs7-signature', 'application/octet-stream'];
const RAW_BODY_ROUTES = { '/applications/:id/signature': RAW_SIGNATURE_TYPES };

export interface AppOptions extends AppOverrides {
  /** Where log lines go (tests capture them to prove nothing secret is logged). */
  logSink?: { write(line: string): void };
}

/** Builds the whole HTTP application for a configuration; main.ts and the tests share it. */
export async function createApp(config: AppConfig, options: AppOptions = {}): Promise<{ app: NestFastifyApplication; logger: Logger }> {
  const logger = createLogger(config.logLevel, options.logSink);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    // Errors Fastify raises before any route (a malformed URL, an over-long parameter) take our shape too.
    frameworkErrors: (error: Error, request: { id: unknown }, reply: FastifyReply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      void reply
        .status(status)
        .header('content-type', PROBLEM_CONTENT_TYPE)
        .header('x-correlation-id', String(request.id))
        .send(problem(status, status === 414 ? 'URI too long' : 'Malformed request', { code: (error as { code?: string }).code, correlationId: String(request.id) }));
    },
    // A caller's correlation id is kept when it is safe to echo, log and store; otherwise we make one.
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => correlationIdOf(req.headers['x-correlation-id']),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    logger: new NestPinoLogger(logger),
    bufferLogs: false,
  });
  const filter = new ProblemFilter(logger, storeAndDomainTranslators);
  app.useGlobalFilters(filter);
  app.useGlobalPipes(validationPipe());
  mountOpenApi(app);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addContentTypeParser(RAW_SIGNATURE_TYPES, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  installRequestChecks(fastify, RAW_BODY_ROUTES);
  // Fastify's own errors (body parsing, limits) reach the filter too: Nest maps them to HttpException.
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
  });
  return { app, logger };
}
