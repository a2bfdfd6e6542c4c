import type { Logger } from 'pino';
import { LoggerService } from '@nestjs/common';
import { createLogger as createServiceLogger, type LogSink } from '@atlauja/observability';

/** The api's logger: JSON, every line masked (@atlauja/observability, shared with the worker). */
export function createLogger(level: string, sink?: LogSink): Logger {
  return createServiceLogger('atlauja-api', level, sink);
}

/** Nest's own messages (start-up, routes) through the same pino logger. */
export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) { this.logger.info({ context }, String(message)); }
  error(message: unknown, trace?: string, context?: string) { this.logger.error({ context, trace }, String(message)); }
  warn(message: unknown, context?: string) { this.logger.warn({ context }, String(message)); }
  debug(message: unknown, context?: string) { this.logger.debug({ context }, String(message)); }
  verbose(message: unknown, context?: string) { this.logger.trace({ context }, String(message)); }
}
