import pino, { Logger } from 'pino';
import { LoggerService } from '@nestjs/common';
import { maskSecrets } from './mask';

/** Structured JSON logs; every line passes through maskSecrets before it leaves the process. */
export function createLogger(level: string, sink: { write(line: string): void } = process.stdout): Logger {
  return pino(
    {
      level,
      base: { service: 'atlauja-api' },
      redact: { paths: ['req.headers.authorization', 'req.headers["idempotency-key"]', 'headers.authorization'], censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url, correlationId: req.id }),
      },
    },
    { write: (line: string) => sink.write(maskSecrets(line)) },
  );
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
