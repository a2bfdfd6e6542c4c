import type { FastifyReply } from 'fastify';
import { instanceOf, PROBLEM_CONTENT_TYPE, type Problem } from './problem';

/**
 * Sends a problem as this request's answer: problem+json, with its occurrence (`instance`, never a
 * personal code) and correlation id. The one way for the filter and for answers given before any
 * route (framework errors, the start's gate, the portal not built).
 */
export function sendProblem(reply: FastifyReply, request: { id: unknown; url?: string }, body: Problem, headers: Record<string, string> = {}): FastifyReply {
  return reply
    .status(body.status)
    .headers({ ...headers, 'content-type': PROBLEM_CONTENT_TYPE, 'x-correlation-id': String(request.id) })
    .send({ ...body, instance: instanceOf(request.url, request.id), correlationId: String(request.id) });
}
