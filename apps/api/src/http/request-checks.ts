/**
 * The checks every request passes before any route sees it, in one place:
 * - a body is JSON in UTF-8 (`Content-Type: application/json`), or one of the raw types a route
 *   declares (a .p7s upload); anything else is 415 before the body is read;
 * - a JSON body is an object (not null, a number, a string or an array), nested no deeper than
 *   any DTO of ours;
 * - no text anywhere in it, its query or its path holds a control character or an unpaired
 *   surrogate (text-hygiene.ts).
 * Each refusal names the field and the rule; nothing is appended, for no handler runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_BODY_DEPTH, nestingDepthExceeds } from './body-depth';
import { FieldProblem, problem, ProblemError } from './problem';
import { textProblems } from './text-hygiene';

export const JSON_MEDIA_TYPE = 'application/json';
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const invalid = (errors: FieldProblem[], detail = 'one or more fields are invalid') =>
  new ProblemError(problem(400, 'Invalid request', { kind: 'VALIDATION_FAILED', detail, errors }));

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

/** `application/json; charset=UTF-8` -> { mediaType: 'application/json', charset: 'utf-8' }. */
export function parseContentType(header: string | undefined): { mediaType: string; charset?: string } {
  const [type, ...parameters] = (header ?? '').split(';');
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  return { mediaType: type.trim().toLowerCase(), ...(charset !== undefined && { charset }) };
}

/** `rawBodyRoutes`: route URL (as declared, e.g. `/applications/:id/signature`) -> the raw media types it also takes. */
export function installRequestChecks(fastify: FastifyInstance, rawBodyRoutes: Readonly<Record<string, readonly string[]>> = {}): void {
  fastify.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    // No route: the 404 says more than a 415 would.
    if (route === undefined || !METHODS_WITH_BODY.has(request.method) || !hasBody(request)) return;
    const accepted = [JSON_MEDIA_TYPE, ...(rawBodyRoutes[route] ?? [])];
    const { mediaType, charset } = parseContentType(request.headers['content-type']);
    const charsetAccepted = mediaType !== JSON_MEDIA_TYPE || charset === undefined || charset === 'utf-8' || charset === 'utf8';
    if (!accepted.includes(mediaType) || !charsetAccepted) {
      throw new ProblemError(
        problem(415, 'Unsupported media type', {
          code: 'UNSUPPORTED_MEDIA_TYPE',
          detail: `this route takes a body of ${accepted.join(' or ')}${accepted.length === 1 ? ' in UTF-8' : ''}`,
          errors: [{ field: 'Content-Type', rule: 'mediaType', message: `Content-Type must be ${accepted.join(' or ')} (JSON in UTF-8)` }],
        }),
      );
    }
  });

  fastify.addHook('preValidation', async (request) => {
    const body = request.body;
    if (body !== undefined && !Buffer.isBuffer(body)) {
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        throw invalid([{ field: 'body', rule: 'isObject', message: 'the body must be a JSON object' }]);
      }
      if (nestingDepthExceeds(body)) throw invalid([{ field: 'body', rule: 'maxDepth', message: `the body is nested deeper than ${MAX_BODY_DEPTH} levels` }], `the body is nested deeper than ${MAX_BODY_DEPTH} levels`);
    }
    const problems = [...textProblems(request.params), ...textProblems(request.query), ...textProblems(body)];
    if (problems.length > 0) throw invalid(problems, 'text holds characters no text of ours may hold');
  });
}
