/**
 * The decorators that state an operation's contract beside its handler: its success body and
 * headers, the refusals particular to it, its request headers and binary bodies. What every
 * operation of a kind shares (401 for a bearer route, 400 for one with input, 500, 503 with
 * Retry-After) is added once for all by complete-contract.ts.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { BINARY, ref } from './schemas';

/** Response headers this API sets, each described once (components.headers). */
export type ResponseHeader = 'ETag' | 'Location' | 'Idempotent-Replayed' | 'X-Document-Sha256' | 'Content-Disposition' | 'Cache-Control' | 'Set-Cookie';

/** Where @nestjs/swagger keeps ApiExtension's values (its DECORATORS.API_EXTENSION, not exported). */
const API_EXTENSION = 'swagger/apiExtension';

const headerRef = (name: ResponseHeader) => ({ $ref: `#/components/headers/${name}` });

const DESCRIPTIONS: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No content', 303: 'See other' };

/**
 * The success response: a component schema by name (JSON), or per media type (a name, or `binary`);
 * null for none (204, a redirect).
 */
export function Responds(
  status: number,
  body: string | Record<string, string> | null,
  options: { headers?: ResponseHeader[]; description?: string } = {},
): MethodDecorator {
  const media = body === null ? {} : typeof body === 'string' ? { 'application/json': body } : body;
  const content = Object.fromEntries(Object.entries(media).map(([type, schema]) => [type, { schema: schema === 'binary' ? BINARY : ref(schema) }]));
  return ApiResponse({
    status,
    description: options.description ?? DESCRIPTIONS[status] ?? String(status),
    ...(body !== null && { content }),
    ...(options.headers && { headers: Object.fromEntries(options.headers.map((h) => [h, headerRef(h)])) }),
  } as never);
}

/** Refusals particular to this operation (problem+json), besides those its kind shares; several add up. */
export function Refuses(...statuses: number[]): MethodDecorator {
  return (target, key, descriptor) => {
    // ApiExtension keeps the first value of a key: take it out and record the union.
    const recorded = (Reflect.getMetadata(API_EXTENSION, descriptor.value as object) ?? {}) as { 'x-atlauja-refuses'?: number[] };
    const earlier = recorded['x-atlauja-refuses'] ?? [];
    delete recorded['x-atlauja-refuses'];
    return ApiExtension('x-atlauja-refuses', [...new Set([...earlier, ...statuses])])(target, key, descriptor);
  };
}

/** The request body's media types: `binary` bytes, or a JSON schema by name. */
export function Accepts(media: Record<string, string | SchemaObject>): MethodDecorator {
  return ApiExtension('x-atlauja-body', media);
}

export const IdempotencyKey = (): MethodDecorator =>
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key and body returns the first response (Idempotent-Replayed: true)', schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' } });

export const IfMatch = (): MethodDecorator =>
  applyDecorators(ApiHeader({ name: 'If-Match', required: false, description: 'the ETag last read; a stale one gets 412 STALE_REVISION' }), Refuses(412));

/** A command on an application: its result and ETag, If-Match and Idempotency-Key, and the refusals of a command. */
export const ApplicationCommand = (status = 200): MethodDecorator =>
  applyDecorators(Responds(status, 'CommandResult', { headers: ['ETag', 'Idempotent-Replayed', ...(status === 201 ? (['Location'] as const) : [])] }), IfMatch(), IdempotencyKey(), Refuses(404, 409, 422, 423));

/** A registry or campaign command: its result, Idempotency-Key, and the refusals of a command. */
export const RegistryCommand = (status = 200, body = 'RegistryResult'): MethodDecorator =>
  applyDecorators(Responds(status, body), IdempotencyKey(), Refuses(404, 409, 422, 423));
