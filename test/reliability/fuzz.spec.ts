/**
 * At least 10,000 generated requests (fast-check) over every endpoint, in-process (Fastify inject):
 * malformed JSON, wrong types, huge and deeply nested bodies, unicode edge cases, odd content types
 * and headers, forged, expired and malformed tokens. For every request: no status >= 500, every
 * error is application/problem+json with its status in the body, and a refused request appends no
 * event (the log's head is unchanged). A 2xx may append: valid requests are generated too.
 */
import fc from 'fast-check';
import { openEmbeddedEventStore } from '@atlauja/event-store';
import { draftBody, MINISTRY_USER_RIGHTS, signDocument } from '../support/api-harness';
import { ReliabilityApp, startApp } from './support/app';
import { secretsIn } from './support/secrets';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

describe(`fuzzing every endpoint (${RUNS} requests)`, () => {
  let h: ReliabilityApp;
  const ids: string[] = [];
  const tokens: string[] = [];
  const seen = { total: 0, byStatus: new Map<number, number>() };
  /** Violations by kind, each with its first example: every kind is reported, not only the first hit. */
  const violations = new Map<string, { count: number; example: string }>();
  const violation = (kind: string, example: string) => {
    const entry = violations.get(kind) ?? { count: 0, example };
    entry.count += 1;
    violations.set(kind, entry);
  };

  beforeAll(async () => {
    h = await startApp(await openEmbeddedEventStore(':memory:'));
    const rep = { authorization: `Bearer ${h.tokens.representative}` };
    // Applications in each state, so that generated ids hit real streams.
    for (let i = 0; i < 4; i += 1) {
      const id = (await h.inject({ method: 'POST', url: '/applications', headers: rep, payload: draftBody() })).json().applicationId as string;
      ids.push(id);
      if (i === 0) continue;
      await h.inject({ method: 'PUT', url: `/applications/${id}/rights`, headers: rep, payload: MINISTRY_USER_RIGHTS });
      await h.inject({ method: 'POST', url: `/applications/${id}/submit`, headers: rep });
      if (i === 1) continue;
      const doc = (await h.inject({ method: 'GET', url: `/applications/${id}/document`, headers: rep })).json();
      await h.inject({ method: 'POST', url: `/applications/${id}/signature`, headers: rep, payload: { signature: signDocument(h.chain, doc.contentBase64) } });
    }
    const now = Math.floor(Date.now() / 1000);
    const [, payload, signature] = h.tokens.representative.split('.');
    tokens.push(
      ...Object.values(h.tokens),
      // expired an hour ago
      await h.issuer.mint({ subject: h.codes[0], roles: ['representative'], institutions: ['90000000001'] }, 60, new Date((now - 3600) * 1000)),
      // forged: another payload under the representative's signature; and a flipped signature
      `${Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'local' })).toString('base64url')}.${payload}.${signature}`,
      `${h.tokens.approver.split('.')[0]}.${payload}.${signature.slice(0, -4)}AAAA`,
      // alg none
      `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`,
    );
  });

  afterAll(() => h?.close());

  const endpoints: [string, (id: string) => string][] = [
    ['POST', () => '/applications'],
    ['GET', (id) => `/applications/${id}`],
    ['GET', (id) => `/applications/${id}/events`],
    ['GET', (id) => `/applications/${id}/document`],
    ['PATCH', (id) => `/applications/${id}`],
    ['PUT', (id) => `/applications/${id}/rights`],
    ['POST', (id) => `/applications/${id}/submit`],
    ['POST', (id) => `/applications/${id}/signature`],
    ['POST', (id) => `/applications/${id}/withdraw`],
    ['POST', (id) => `/applications/${id}/claim`],
    ['POST', (id) => `/applications/${id}/release`],
    ['POST', (id) => `/applications/${id}/approve`],
    ['POST', (id) => `/applications/${id}/reject`],
    ['POST', (id) => `/applications/${id}/revoke`],
    ['GET', () => '/health'],
    ['GET', () => '/ready'],
    ['DELETE', (id) => `/applications/${id}`],
    ['GET', (id) => `/applications/${id}/nothing-here`],
  ];

  const unicode = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e', '\ufeff', 'Bērziņa\u0301', '👩‍👩‍👧‍👦', 'ǅ', '\u00a0', '%00', '../../etc/passwd', '121288-15555'),
  );
  const id = fc.oneof(
    { weight: 6, arbitrary: fc.constant(null).map(() => ids[0]) },
    { weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }).map((i) => ids[i]) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: unicode.map((s) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('')) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '..', 'a'.repeat(5000)) },
  );
  const validish = fc.oneof(
    fc.constant(draftBody()),
    fc.constant(MINISTRY_USER_RIGHTS),
    fc.constant({ reason: 'Not needed any more.', confirmed: true }),
    fc.constant({}),
    fc.constant({ justification: 'An edited justification.' }),
  );
  // Valid bodies with one field replaced by something of another type.
  const mutated = fc.tuple(validish, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })).map(([body, key, value]) => {
    const keys = Object.keys(body);
    const target = keys.length > 0 && key.length % 2 === 0 ? keys[key.length % keys.length] : key;
    return { ...body, [target]: value };
  });
  const deep = fc.integer({ min: 100, max: 60_000 }).chain((depth) =>
    fc.constantFrom('[', '{"a":').map((open) => (open === '[' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth))),
  );
  const body = fc.oneof(
    { weight: 5, arbitrary: validish.map((b) => JSON.stringify(b)) },
    { weight: 8, arbitrary: mutated.map((b) => JSON.stringify(b)) },
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 3, arbitrary: fc.string({ maxLength: 200 }) }, // mostly malformed JSON
    { weight: 2, arbitrary: fc.constantFrom('{', '{"kind":', '[1,2', 'null', '"str"', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '{"a":1,"a":2}', 'NaN', '1e400', '\u0000') },
    { weight: 2, arbitrary: unicode.map((s) => JSON.stringify({ ...draftBody(), justification: s, user: { ...(draftBody().user as object), givenName: s } })) },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: fc.integer({ min: 100_000, max: 1_300_000 }).map((n) => JSON.stringify({ justification: 'x'.repeat(n) })) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const auth = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0, max: 6 }).map((i) => `Bearer ${tokens[i]}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.oneof(fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer x.y.z', 'Bearer eyJ.eyJ.sig'), unicode.map((s) => `Bearer ${s}`)) },
  );
  const contentType = fc.constantFrom(
    'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain',
    'application/pkcs7-signature', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', '',
  );
  const extraHeaders = fc.record(
    {
      'if-match': fc.oneof(fc.constantFrom('"0"', '"1"', '"99999999999999999999999"', '*', 'W/"0"', '"-1"'), unicode),
      'idempotency-key': fc.oneof(fc.constantFrom('fuzz-key-00000001', 'fuzz-key-00000002'), unicode),
      'x-correlation-id': unicode,
    },
    { requiredKeys: [] },
  );

  const request = fc.record({ endpoint: fc.integer({ min: 0, max: endpoints.length - 1 }), id, body, auth, contentType, extraHeaders });

  it('never answers >= 500, always problem+json on errors, and never appends on a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [method, path] = endpoints[r.endpoint];
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(r.extraHeaders)) if (value !== undefined && /^[\t\x20-\x7e\x80-\xff]*$/.test(value)) headers[name] = value;
        if (r.auth !== undefined && /^[\t\x20-\x7e\x80-\xff]*$/.test(r.auth)) headers.authorization = r.auth;
        if (r.body !== undefined && r.contentType !== '') headers['content-type'] = r.contentType;
        const before = await h.store.headPosition();
        const res = await h.inject({ method, url: path(r.id), headers, ...(r.body !== undefined && method !== 'GET' ? { payload: r.body } : {}) });
        seen.total += 1;
        seen.byStatus.set(res.statusCode, (seen.byStatus.get(res.statusCode) ?? 0) + 1);
        const where = `${method} ${path(r.id).slice(0, 60)} [${headers['content-type'] ?? '-'}, body ${String(r.body?.length ?? 0)} chars] -> ${res.statusCode} ${res.body.slice(0, 200)}`;
        const code = (() => {
          try {
            return String(res.json().code ?? '');
          } catch {
            return '';
          }
        })();
        if (res.statusCode >= 500) violation(`status ${res.statusCode} ${code}`, where);
        if (res.statusCode >= 400) {
          const type = String(res.headers['content-type'] ?? '');
          if (!type.startsWith('application/problem+json')) violation(`not problem+json: ${res.statusCode} ${code} (${type})`, where);
          else {
            const problem = res.json();
            if (problem.status !== res.statusCode || typeof problem.title !== 'string') violation(`malformed problem: ${res.statusCode}`, where);
          }
          const after = await h.store.headPosition();
          if (after !== before) violation(`a refused request appended: ${res.statusCode}`, `${where} (head ${before} -> ${after})`);
        }
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    expect(seen.total).toBeGreaterThanOrEqual(RUNS);
    expect([...violations].map(([kind, { count, example }]) => `${kind} x${count}, e.g. ${example}`)).toEqual([]);
    // The generators reach the interesting answers, not only 401s.
    for (const status of [200, 400, 401, 404]) expect(seen.byStatus.get(status) ?? 0).toBeGreaterThan(0);
  });

  it('the logs hold no personal code and no token', () => {
    expect(secretsIn(h.logLines.join(''), [...h.codes, draftBody().user.personalCode as string], tokens)).toEqual([]);
  });
});
