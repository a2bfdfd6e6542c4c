/**
 * What every operation of a kind shares, added to the generated document once: the problem
 * responses (one problem+json schema), the shared headers, 304 for a read with an ETag, the
 * binary request bodies, and the security of the public routes. The controllers state what is
 * particular to each operation (contract.ts).
 */
import type { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ReferenceObject, ResponseObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { BINARY, ref, SCHEMAS } from './schemas';

const PROBLEM_CONTENT = { 'application/problem+json': { schema: ref('Problem') } };

const PROBLEMS: Record<number, string> = {
  400: 'Invalid request: the field errors name each field and rule (VALIDATION_FAILED), or the request cannot be read',
  401: 'Unauthenticated: no token, or not a valid one',
  403: 'Forbidden: the code names the authorization rule',
  404: 'Not found',
  406: 'Not acceptable: no representation in the media type asked for',
  409: 'Conflict: another command changed it meanwhile (CONCURRENT_CHANGE), or it exists',
  412: 'Precondition failed: If-Match names an older revision (STALE_REVISION)',
  413: 'The request body is too large',
  415: 'Unsupported media type',
  422: 'Refused by a rule: the code names it, the field errors say where',
  423: 'Locked: the institution is being re-certified',
  500: 'Internal error, logged with the correlation id',
  503: 'Unavailable for now (store, read models, storage, token keys): retry after Retry-After seconds',
};

const HEADERS: Record<string, { description: string; schema: SchemaObject }> = {
  ETag: { description: 'the revision of what was read or written, quoted: send it back as If-Match or If-None-Match', schema: { type: 'string', example: '"3"' } },
  Location: { description: 'where the created resource is read', schema: { type: 'string', format: 'uri-reference' } },
  'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } },
  'Idempotent-Replayed': { description: 'true when this is the first response to the same Idempotency-Key, replayed', schema: { type: 'string', enum: ['true'] } },
  'X-Document-Sha256': { description: 'the SHA-256 (hex) of the document to sign', schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
  'Content-Disposition': { description: 'the file name of a download', schema: { type: 'string' } },
  'Cache-Control': { description: 'caching of the answer', schema: { type: 'string' } },
  'Set-Cookie': { description: 'the session cookie (httpOnly)', schema: { type: 'string' } },
  'WWW-Authenticate': { description: 'the scheme to authenticate with', schema: { type: 'string', example: 'Bearer' } },
};

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
/** Routes that touch neither the store nor the read models: no 503. */
const NEVER_UNAVAILABLE = /^\/(health|problems)(\/|$)/;

function problemResponse(status: number): ResponseObject {
  return {
    description: PROBLEMS[status] ?? 'Problem',
    content: PROBLEM_CONTENT,
    ...((status === 503 || status === 429) && { headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } } }),
    ...(status === 401 && { headers: { 'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' } } }),
  } as ResponseObject;
}

const isRef = (x: unknown): x is ReferenceObject => typeof x === 'object' && x !== null && '$ref' in x;

function completeOperation(path: string, method: string, op: OperationObject): void {
  const extensions = op as OperationObject & { 'x-atlauja-refuses'?: number[]; 'x-atlauja-body'?: Record<string, string | SchemaObject> };
  const parameters = (op.parameters ?? []).filter((p): p is ParameterObject => !isRef(p));
  const secured = (op.security ?? []).length > 0;
  const statuses = new Set<number>(extensions['x-atlauja-refuses'] ?? []);
  delete extensions['x-atlauja-refuses'];

  // The body: binary media types as bytes; JSON by its DTO's schema (or the one named).
  const body = extensions['x-atlauja-body'];
  delete extensions['x-atlauja-body'];
  if (body) {
    const json = op.requestBody && !isRef(op.requestBody) ? op.requestBody.content?.['application/json']?.schema : undefined;
    op.requestBody = {
      required: true,
      content: Object.fromEntries(Object.entries(body).map(([type, schema]) => [type, { schema: schema === 'binary' ? BINARY : typeof schema === 'string' ? (json ?? ref(schema)) : schema }])),
    };
  }

  // Any request can be unreadable (a malformed URL or header); one with input can break a field's rule.
  statuses.add(400);
  if (parameters.some((p) => p.in === 'path')) statuses.add(404);
  if (op.requestBody) {
    statuses.add(413);
    statuses.add(415);
  }
  if (secured) {
    statuses.add(401);
    statuses.add(403);
  }
  if (!NEVER_UNAVAILABLE.test(path)) statuses.add(503);
  statuses.add(500);

  const responses = op.responses as Record<string, ResponseObject | ReferenceObject>;
  for (const status of [...statuses].sort()) responses[String(status)] ??= { $ref: `#/components/responses/Problem${status}` };

  // A read that sends an ETag answers If-None-Match with 304.
  const ok = responses['200'];
  if (method === 'get' && ok && !isRef(ok) && ok.headers?.ETag) {
    op.parameters = [...(op.parameters ?? []), { $ref: '#/components/parameters/IfNoneMatch' }];
    responses['304'] = { description: 'Not modified: If-None-Match names the current ETag; no body', headers: { ETag: { $ref: '#/components/headers/ETag' } } } as ResponseObject;
  }

  // Public routes say so: no bearer token is needed (redocly's security-defined).
  if (!secured) op.security = [];
  else op.security = [...(op.security ?? []), { session: [] }];
}

export function completeContract(document: OpenAPIObject): OpenAPIObject {
  const components = (document.components ??= {});
  components.schemas = { ...(components.schemas ?? {}), ...SCHEMAS };
  components.headers = { ...(components.headers ?? {}), ...HEADERS } as never;
  components.parameters = {
    ...(components.parameters ?? {}),
    IfNoneMatch: { name: 'If-None-Match', in: 'header', required: false, description: 'the ETag last read: 304 with no body when it is still current', schema: { type: 'string' } },
  };
  const statuses = Object.keys(PROBLEMS).map(Number);
  components.responses = { ...(components.responses ?? {}), ...Object.fromEntries(statuses.map((s) => [`Problem${s}`, problemResponse(s)])) };
  components.securitySchemes = {
    ...(components.securitySchemes ?? {}),
    session: { type: 'apiKey', in: 'cookie', name: 'atlauja_session', description: "the portal's session cookie; unsafe requests also send X-CSRF-Token" },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (op) completeOperation(path, method, op);
    }
  }
  return document;
}
