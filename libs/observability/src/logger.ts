/**
 * Structured JSON logs (pino) for every process; every line passes through maskSecrets before it
 * leaves the process, so no personal code or token reaches a log, whatever field it hides in.
 */
import pino, { type Logger } from 'pino';
import { maskSecrets } from './mask';

export type LogSink = { write(line: string): void };

export function createLogger(service: string, level: string, sink: LogSink = process.stdout): Logger {
  return pino(
    {
      level,
      base: { service },
      redact: { paths: ['req.headers.authorization', 'req.headers["idempotency-key"]', 'headers.authorization'], censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: req.url, correlationId: req.id }),
      },
    },
    { write: (line: string) => sink.write(maskSecrets(line)) },
  );
}
