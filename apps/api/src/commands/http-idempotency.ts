/**
 * The Idempotency-Key header as the command handler's record: the key hashed with the caller and
 * the operation (never stored in clear), and the request's fingerprint (method, path, If-Match,
 * body). The record rides in the appended events' metadata; see libs/command-handler.
 */
import type { FastifyRequest } from 'fastify';
import { sha256Of, type IdempotencyRecord } from '@atlauja/command-handler';
import type { Principal } from '@atlauja/auth';
import { problem, ProblemError } from '../http/problem';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/** The record for this request, or undefined without the header; 400 for a malformed key. `step` tells apart commands one request runs. */
export function idempotencyOf(request: FastifyRequest, principal: Principal, step = ''): IdempotencyRecord | undefined {
  const given = request.headers['idempotency-key'];
  if (given === undefined) return undefined;
  if (typeof given !== 'string' || !KEY.test(given)) {
    throw new ProblemError(
      problem(400, 'Invalid request', { kind: 'VALIDATION_FAILED', errors: [{ field: 'Idempotency-Key', rule: 'format', message: 'Idempotency-Key must be 8 to 128 characters of A-Z a-z 0-9 . _ : -' }] }),
    );
  }
  const path = request.url.split('?')[0];
  const body = Buffer.isBuffer(request.body) ? request.body : JSON.stringify(request.body ?? null);
  return {
    key: sha256Of(principal.service ?? principal.subject, request.method, path, given, step),
    fingerprint: sha256Of(request.method, path, String(request.headers['if-match'] ?? ''), sha256Of(body), step),
  };
}
