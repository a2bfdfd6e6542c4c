import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { Forbidden, Unauthenticated } from '@atlauja/auth';
import { Problem, problem, ProblemError } from './problem';
import { sendProblem } from './problem-reply';

/** Translates one kind of thrown error into a problem; returns undefined when it is not its kind. */
export type ErrorTranslator = (error: unknown) => { problem: Problem; headers?: Record<string, string> } | undefined;

const baseTranslators: ErrorTranslator[] = [
  (e) => (e instanceof ProblemError ? { problem: e.problem, headers: e.headers } : undefined),
  (e) =>
    e instanceof Unauthenticated
      ? { problem: problem(401, 'Unauthenticated', { detail: e.reason }), headers: { 'www-authenticate': 'Bearer' } }
      : undefined,
  (e) => (e instanceof Forbidden ? { problem: problem(403, 'Forbidden', { code: e.rule, detail: e.message }) } : undefined),
  (e) => {
    if (!(e instanceof HttpException)) return undefined;
    const status = e.getStatus();
    // Nest's and Fastify's messages can echo the URL or a snippet of the body (JSON.parse does):
    // keep only the status's title.
    return { problem: problem(status, titleOf(status, e.name)) };
  },
];

function titleOf(status: number, fallback: string): string {
  const titles: Record<number, string> = { 400: 'Malformed request', 404: 'Not found', 405: 'Method not allowed', 413: 'Request body too large', 415: 'Unsupported media type' };
  return titles[status] ?? fallback.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** Every error leaves as problem+json; unknown ones as a bare 500, logged (masked) with their stack. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly translators: ErrorTranslator[];

  constructor(private readonly logger: Logger, extra: ErrorTranslator[] = []) {
    this.translators = [...extra, ...baseTranslators];
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    this.send(error, request, reply);
  }

  send(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    let translated: ReturnType<ErrorTranslator>;
    for (const translate of this.translators) if ((translated = translate(error))) break;
    if (!translated) {
      this.logger.error({ err: error, correlationId: request.id }, 'unhandled error');
      translated = { problem: problem(500, 'Internal error', { detail: 'the error was logged with this correlation id' }) };
    } else if (translated.problem.status >= 500) {
      this.logger.warn({ err: { message: (error as Error).message, name: (error as Error).name }, correlationId: request.id }, translated.problem.title);
    }
    sendProblem(reply, request, translated.problem, translated.headers);
  }
}
