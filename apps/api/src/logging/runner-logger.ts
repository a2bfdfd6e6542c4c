import { Logger } from '@nestjs/common';
import type { RunnerLogger } from '@atlauja/projections';

/** The projection runner's and the processes' log lines, through Nest's logger (and so the api's pino). */
export function nestRunnerLogger(context: string): RunnerLogger {
  const logger = new Logger(context);
  const line = (message: string, details: object) => `${message} ${JSON.stringify(details)}`;
  return {
    info: (details, message) => logger.log(line(message, details)),
    warn: (details, message) => logger.warn(line(message, details)),
    error: (details, message) => logger.error(line(message, details)),
  };
}
