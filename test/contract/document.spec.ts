import { servedOpenApi } from '../../scripts/served-openapi';
import { OpenApi, operationsOf, resolve, successStatuses } from './openapi-support';

/**
 * What every operation of the served document states: a success body with a schema (a redirect or
 * a 204 states its headers instead), each refusal as the one Problem schema in problem+json, the
 * headers its kind carries, and binary bodies as binary.
 */
describe('every operation of the OpenAPI document', () => {
  let document: OpenApi;
  beforeAll(async () => (document = await servedOpenApi()));
  const name = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;

  it('documents its success body with a schema (a 204 or a 303 its headers)', () => {
    const lacking = operationsOf(document).flatMap((o) => {
      const statuses = successStatuses(o.op);
      const redirect = resolve(document, o.op.responses['303']);
      if (statuses.length === 0) return redirect?.headers?.Location ? [] : [`${name(o)}: no success response`];
      return statuses.flatMap((s) => {
        const response = resolve(document, o.op.responses[s]);
        if (s === '204') return response.headers ? [] : [`${name(o)} 204: no headers`];
        const media = Object.entries(response.content ?? {});
        if (media.length === 0) return [`${name(o)} ${s}: no body`];
        return media.filter(([, m]: [string, any]) => !m.schema || (m.schema.type === undefined && !m.schema.$ref && !m.schema.allOf)).map(([type]) => `${name(o)} ${s} ${type}: no schema`);
      });
    });
    expect(lacking).toEqual([]);
  });

  it('documents every refusal as problem+json of the one Problem schema, with 400, 500 and (if bearer) 401 and 403', () => {
    const wrong = operationsOf(document).flatMap((o) => {
      const errors = Object.keys(o.op.responses).filter((s) => /^[45]\d\d$/.test(s));
      const found: string[] = [];
      for (const status of ['400', '500', ...((o.op.security ?? []).length > 0 ? ['401', '403'] : [])]) if (!errors.includes(status)) found.push(`${name(o)}: no ${status}`);
      for (const status of errors) {
        const content = resolve(document, o.op.responses[status]).content ?? {};
        if (Object.keys(content).join() !== 'application/problem+json' || content['application/problem+json'].schema.$ref !== '#/components/schemas/Problem') found.push(`${name(o)} ${status}: not the Problem schema`);
      }
      return found;
    });
    expect(wrong).toEqual([]);
    const problem = document.components.schemas.Problem;
    expect(Object.keys(problem.properties)).toEqual(expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors']));
    expect(resolve(document, problem.properties.errors.items).required).toEqual(['field', 'rule', 'message']);
    expect(resolve(document, { $ref: '#/components/responses/Problem503' }).headers['Retry-After']).toBeDefined();
  });

  it('states its headers: ETag and If-None-Match with 304 on the reads that send one, If-Match and Idempotency-Key on commands, Location on creation', () => {
    const ops = operationsOf(document);
    const byName = new Map<string, any>(ops.map((o) => [name(o), o.op]));
    const headerNames = (op: any) => (op.parameters ?? []).map((p: any) => resolve(document, p)).filter((p: any) => p.in === 'header').map((p: any) => p.name);
    for (const read of ['GET /applications/{id}', 'GET /institutions/{reg}', 'GET /recertifications/{id}']) {
      const op = byName.get(read);
      expect({ read, etag: Boolean(resolve(document, op.responses['200']).headers?.ETag), ifNoneMatch: headerNames(op).includes('If-None-Match'), notModified: Boolean(op.responses['304']) }).toEqual({ read, etag: true, ifNoneMatch: true, notModified: true });
    }
    const applicationCommands = ops.filter((o) => o.method !== 'get' && /^\/applications(\/\{id\}(\/(rights|submit|signature|withdraw|claim|release|approve|reject|revoke))?)?$/.test(o.path));
    expect(applicationCommands).toHaveLength(11);
    for (const o of applicationCommands) {
      expect({ command: name(o), headers: headerNames(o.op) }).toEqual({ command: name(o), headers: expect.arrayContaining(['Idempotency-Key', ...(o.path === '/applications' ? [] : ['If-Match'])]) });
      const ok = resolve(document, o.op.responses[o.path === '/applications' ? '201' : '200']);
      expect({ command: name(o), etag: Boolean(ok.headers?.ETag) }).toEqual({ command: name(o), etag: true });
    }
    for (const created of ['POST /applications', 'POST /applications/{id}/changes']) expect(resolve(document, byName.get(created).responses['201']).headers.Location).toBeDefined();
    expect(Object.keys(document.components.headers)).toEqual(expect.arrayContaining(['ETag', 'Location', 'Retry-After', 'Idempotent-Replayed']));
  });

  it('declares binary bodies as binary with their media types, not JSON', () => {
    const binary = { type: 'string', format: 'binary' };
    const upload = document.paths['/applications/{id}/signature'].post.requestBody.content;
    for (const type of ['application/vnd.etsi.asic-e+zip', 'application/pdf', 'application/pkcs7-signature', 'application/octet-stream']) expect({ type, schema: upload[type]?.schema }).toEqual({ type, schema: binary });
    expect(resolve(document, upload['application/json'].schema).properties.signature).toBeDefined();
    expect(document.paths['/applications/{id}/document'].get.responses['200'].content['application/pdf'].schema).toEqual(binary);
    expect(document.paths['/audit/bundle'].get.responses['200'].content).toEqual({ 'application/zip': { schema: binary } });
  });
});
