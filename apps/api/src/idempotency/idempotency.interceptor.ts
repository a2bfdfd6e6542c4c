import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { from, lastValueFrom, Observable } from 'rxjs';
import type { Principal } from '@atlauja/auth';
import { problem, ProblemError } from '../http/problem';
import { IDEMPOTENCY_STORE, IdempotencyStore } from './idempotency-store';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const REPLAYED_HEADERS = ['etag', 'location'];

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * Idempotency-Key on commands: the first 2xx response is kept under (caller, method, path, key);
 * a retry with the same body gets it back (with `idempotent-replayed: true`) and appends nothing;
 * the same key with another body is a 422. The caller's identity is hashed, never stored.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const given = request.headers['idempotency-key'];
    if (request.method === 'GET' || given === undefined) return next.handle();
    if (typeof given !== 'string' || !KEY.test(given)) {
      throw new ProblemError(
        problem(400, 'Invalid request', { type: 'validation', errors: [{ field: 'Idempotency-Key', rule: 'format', message: 'Idempotency-Key must be 8 to 128 characters of A-Z a-z 0-9 . _ : -' }] }),
      );
    }
    const key = sha256([request.principal?.subject ?? '', request.method, request.url, given].join('\n'));
    const body = Buffer.isBuffer(request.body) ? request.body : JSON.stringify(request.body ?? null);
    const fingerprint = sha256([request.method, request.url, String(request.headers['if-match'] ?? ''), sha256(body)].join('\n'));

    return from(
      this.serialized(key, async () => {
        const record = await this.store.get(key);
        if (record) {
          if (record.fingerprint !== fingerprint) {
            throw new ProblemError(problem(422, 'Idempotency key reused', { code: 'IDEMPOTENCY_KEY_REUSED', detail: 'this Idempotency-Key was used with another request' }));
          }
          reply.status(record.status).headers({ ...record.headers, 'idempotent-replayed': 'true' });
          return record.body;
        }
        const responseBody = await lastValueFrom(next.handle(), { defaultValue: undefined });
        const headers = Object.fromEntries(REPLAYED_HEADERS.flatMap((h) => (reply.getHeader(h) ? [[h, String(reply.getHeader(h))]] : [])));
        // Kept before the response leaves, so a retry that races the response still finds it.
        await this.store.put(key, { fingerprint, status: reply.statusCode, headers, body: responseBody });
        return responseBody;
      }),
    );
  }

  /**
   * Requests with one key run one after another in this process, so a retry sent while the first
   * is still working waits and then replays, instead of drafting a second application.
   */
  private serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.inFlight.get(key) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(work);
    this.inFlight.set(key, current);
    const cleanup = () => {
      if (this.inFlight.get(key) === current) this.inFlight.delete(key);
    };
    current.then(cleanup, cleanup);
    return current;
  }
}
