/**
 * At least 10,000 generated requests (fast-check) over every endpoint, in-process (Fastify inject):
 * malformed JSON, wrong types, huge and deeply nested bodies, unicode edge cases, odd content types
 * and headers, forged, expired and malformed tokens. For every request: no status >= 500, every
 * error is application/problem+json with its status in the body, and a refused request appends no
 * event (the log's head is unchanged). A 2xx may append: valid requests are generated too.
 */
import fc from 'fast-check';
import { openEmbeddedEventStore } from '@atlauja/event-store';
import { draftBody, MINISTRY, MINISTRY_USER_RIGHTS, signDocument } from '../support/api-harness';
import { ReliabilityApp, startApp } from './support/app';
import { secretsIn } from './support/secrets';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** Reported with every violation, so that a run can be repeated with FUZZ_SEED. */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const MUNICIPALITY = '90000000201';
/** A new-format personal code (no date) of the municipality's representative; in bodies only. */
const REP_CODE = '329999-20001';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe(`fuzzing every endpoint (${RUNS} requests)`, () => {
  let h: ReliabilityApp;
  const ids: string[] = [];
  const campaigns: string[] = [];
  const tokens: string[] = [];
  const seen = { total: 0, byStatus: new Map<number, number>(), byEndpoint: [] as number[] };
  /** Violations by kind, each with its first example: every kind is reported, not only the first hit. */
  const violations = new Map<string, { count: number; example: string }>();
  const violation = (kind: string, example: string) => {
    const entry = violations.get(kind) ?? { count: 0, example };
    entry.count += 1;
    violations.set(kind, entry);
  };

  beforeAll(async () => {
    h = await startApp(await openEmbeddedEventStore(':memory:'));
    // The registry: the ministry with its representative, a municipality with one, and an open campaign.
    const admin = { authorization: `Bearer ${h.tokens.admin}` };
    const setup = async (url: string, payload: object, expected: number, headers = admin) => {
      const res = await h.inject({ method: 'POST', url, headers, payload });
      if (res.statusCode !== expected) throw new Error(`setup ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    await setup('/institutions', { registrationNumber: MINISTRY, officialName: 'Izdomātā ministrija', type: 'ministry', coordinationVariant: 2 }, 201);
    await setup(`/institutions/${MINISTRY}/representatives`, { personalCode: h.codes[0] }, 200);
    await setup('/institutions', { registrationNumber: MUNICIPALITY, officialName: 'Izdomātā pašvaldība', type: 'municipality', coordinationVariant: 2 }, 201);
    await setup(`/institutions/${MUNICIPALITY}/representatives`, { personalCode: REP_CODE }, 200);
    // (the campaign is opened once the applications exist)
    const openCampaign = async () => campaigns.push(String((await setup('/recertifications', { institution: MINISTRY, deadline: inDays(30) }, 201)).id ?? ''));
    const rep = { authorization: `Bearer ${h.tokens.representative}` };
    // Applications in each state, so that generated ids hit real streams.
    for (let i = 0; i < 4; i += 1) {
      const id = (await setup('/applications', draftBody(), 201, rep)).applicationId as string;
      ids.push(id);
      if (i === 0) continue;
      await h.inject({ method: 'PUT', url: `/applications/${id}/rights`, headers: rep, payload: MINISTRY_USER_RIGHTS });
      await h.inject({ method: 'POST', url: `/applications/${id}/submit`, headers: rep });
      if (i === 1) continue;
      const doc = (await h.inject({ method: 'GET', url: `/applications/${id}/document`, headers: rep })).json();
      await h.inject({ method: 'POST', url: `/applications/${id}/signature`, headers: rep, payload: { signature: signDocument(h.chain, doc.contentBase64) } });
    }
    await openCampaign();
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

  /** Path parameters: an application id, a registration number, a campaign id (each real or junk). */
  type Params = { id: string; reg: string; campaign: string; query: string };
  const endpoints: [string, (p: Params) => string][] = [
    ['POST', () => '/applications'],
    ['GET', (p) => `/applications/${p.id}`],
    ['GET', (p) => `/applications/${p.id}/events`],
    ['GET', (p) => `/applications/${p.id}/document`],
    ['PATCH', (p) => `/applications/${p.id}`],
    ['PUT', (p) => `/applications/${p.id}/rights`],
    ['POST', (p) => `/applications/${p.id}/submit`],
    ['POST', (p) => `/applications/${p.id}/signature`],
    ['POST', (p) => `/applications/${p.id}/withdraw`],
    ['POST', (p) => `/applications/${p.id}/claim`],
    ['POST', (p) => `/applications/${p.id}/release`],
    ['POST', (p) => `/applications/${p.id}/approve`],
    ['POST', (p) => `/applications/${p.id}/reject`],
    ['POST', (p) => `/applications/${p.id}/revoke`],
    ['GET', () => '/health'],
    ['GET', () => '/ready'],
    ['DELETE', (p) => `/applications/${p.id}`],
    ['GET', (p) => `/applications/${p.id}/nothing-here`],
    // the institution registry and re-certification (issue 9)
    ['GET', (p) => `/institutions${p.query}`],
    ['GET', (p) => `/institutions/${p.reg}`],
    ['POST', () => '/institutions'],
    ['PATCH', (p) => `/institutions/${p.reg}`],
    ['POST', (p) => `/institutions/${p.reg}/suspend`],
    ['POST', (p) => `/institutions/${p.reg}/reactivate`],
    ['POST', (p) => `/institutions/${p.reg}/deactivate`],
    ['POST', (p) => `/institutions/${p.reg}/representatives`],
    ['POST', (p) => `/institutions/${p.reg}/representatives/remove`],
    ['POST', (p) => `/institutions/${p.reg}/merge`],
    ['POST', (p) => `/institutions/${p.reg}/merge/finish`],
    ['POST', () => '/institutions/import'],
    ['POST', () => '/recertifications'],
    ['GET', (p) => `/recertifications/${p.campaign}`],
    ['POST', (p) => `/recertifications/${p.campaign}/confirm`],
    ['POST', (p) => `/recertifications/${p.campaign}/drop`],
    ['POST', (p) => `/recertifications/${p.campaign}/complete`],
    ['POST', (p) => `/recertifications/${p.campaign}/close-at-deadline`],
    ['POST', (p) => `/recertifications/${p.campaign}/finish`],
    // the read models
    ['GET', (p) => `/queue${p.query}`],
    ['GET', (p) => `/institutions/${p.reg}/applications${p.query}`],
    ['POST', () => '/rights/search'],
    ['GET', (p) => `/audit-log${p.query}`],
    ['POST', () => '/audit-log/search'],
    ['GET', (p) => `/read-models/status${p.query}`],
    // the auditor's endpoints
    ['GET', (p) => `/audit/applications/${p.id}/history${p.query}`],
    ['GET', (p) => `/audit/applications/${p.id}/state${p.query}`],
    ['GET', (p) => `/audit/applications/${p.id}/signatures`],
    ['POST', () => '/audit/users/history'],
    ['GET', (p) => `/audit/institutions/${p.reg}/history${p.query}`],
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
    { weight: 2, arbitrary: unicode.map((s) => encoded(s)) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '..', 'a'.repeat(5000)) },
  );
  /** A path segment: real, random, or any string percent-encoded. */
  const encoded = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
  const reg = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(MINISTRY, MUNICIPALITY) },
    { weight: 2, arbitrary: fc.constantFrom('90000000999', '00000000000', '9000000000', '900000000011', 'LV90000000001') },
    { weight: 2, arbitrary: unicode.map(encoded) },
  );
  const campaign = fc.oneof(
    { weight: 5, arbitrary: fc.constant(null).map(() => campaigns[0]) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: unicode.map(encoded) },
  );
  const queryValue = fc.oneof(
    fc.constantFrom('', '0', '1', '-1', '100', '1000000', '99999999999999999999999', 'true', 'asc', 'desc', 'sideways', MINISTRY, 'new-user', 'signed', 'approved', '2025-01-01', '2025-13-45T99:00:00Z', 'application-x', 'eyJ9', '%00', '%zz'),
    unicode.map((v) => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))),
  );
  const queryName = fc.constantFrom('cursor', 'limit', 'minPosition', 'institution', 'kind', 'claimed', 'stream', 'type', 'from', 'to', 'order', 'status', 'name', 'at', 'revision', 'x', 'limit[]', '__proto__');
  const query = fc.oneof(
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 3, arbitrary: fc.array(fc.tuple(queryName, queryValue), { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`) },
    { weight: 1, arbitrary: fc.constantFrom('?', '?&&', '?limit', '?limit=1&limit=2', '?cursor=' + 'A'.repeat(3000)) },
  );
  const validish = fc.oneof(
    fc.constant(draftBody()),
    fc.constant(MINISTRY_USER_RIGHTS),
    fc.constant({ reason: 'Not needed any more.', confirmed: true }),
    fc.constant({}),
    fc.constant({ justification: 'An edited justification.' }),
    fc.constant({ registrationNumber: '90000000301', officialName: 'Izdomātā iestāde', type: 'subordinate', resortHead: MINISTRY, coordinationVariant: 1 }),
    fc.constant({ officialName: 'Pārdēvētā ministrija', eAddress: `_DEFAULT@${MINISTRY}` }),
    fc.constant({ reason: 'Reorganisation.' }),
    fc.constant({ personalCode: REP_CODE, reason: 'Left the institution.' }),
    fc.constant({ into: MINISTRY, effectiveDate: inDays(-1) }),
    fc.constant({ csv: 'Reģistrācijas numurs;Nosaukums;Veids\n90000000401;Izdomātā CVI;Centrālā valsts iestāde\n', dryRun: true }),
    fc.constant({ csv: 'registration_number,name,type\n90000000402,"Izdomātā, ar komatu",municipality\n90000000402,Dubults,municipality\nx,y,z\n' }),
    fc.constant({ institution: MUNICIPALITY, deadline: inDays(30) }),
    fc.constant({ personalCode: draftBody().user.personalCode }),
    fc.constant({ personalCode: REP_CODE, minPosition: '1' }),
    fc.constant({ actor: REP_CODE, stream: 'application-x', limit: 5 }),
    fc.constant({ employer: MINISTRY, scope: 'institution' }),
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
    { weight: 8, arbitrary: fc.nat().map((i) => `Bearer ${tokens[i % tokens.length]}`) },
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

  const request = fc.record({ endpoint: fc.integer({ min: 0, max: endpoints.length - 1 }), params: fc.record({ id, reg, campaign, query }), body, auth, contentType, extraHeaders });

  beforeAll(() => {
    seen.byEndpoint = endpoints.map(() => 0);
  });

  it('never answers >= 500, always problem+json on errors, and never appends on a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [method, path] = endpoints[r.endpoint];
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(r.extraHeaders)) if (value !== undefined && /^[\t\x20-\x7e\x80-\xff]*$/.test(value)) headers[name] = value;
        if (r.auth !== undefined && /^[\t\x20-\x7e\x80-\xff]*$/.test(r.auth)) headers.authorization = r.auth;
        if (r.body !== undefined && r.contentType !== '') headers['content-type'] = r.contentType;
        const before = await h.store.headPosition();
        const url = path(r.params);
        const res = await h.inject({ method, url, headers, ...(r.body !== undefined && method !== 'GET' ? { payload: r.body } : {}) });
        seen.total += 1;
        seen.byEndpoint[r.endpoint] += 1;
        seen.byStatus.set(res.statusCode, (seen.byStatus.get(res.statusCode) ?? 0) + 1);
        const shownHeaders = Object.entries(headers).map(([k, v]) => `${k}: ${k === 'authorization' ? `${v.slice(0, 7)}…#${tokens.findIndex((t) => v === `Bearer ${t}`)}` : v.slice(0, 40)}`).join('; ');
        const where = `${method} ${url.slice(0, 100)} [${shownHeaders}; body ${JSON.stringify(r.body?.slice(0, 120) ?? null)} (${String(r.body?.length ?? 0)} chars)] -> ${res.statusCode} ${res.body.slice(0, 300)}`;
        const code = (() => {
          try {
            return String(res.json().code ?? '');
          } catch {
            return '';
          }
        })();
        if (res.statusCode >= 500) {
          // With the server's own log line of the failure (found by its correlation id).
          const correlation = (() => {
            try {
              return String(res.json().correlationId ?? '');
            } catch {
              return '';
            }
          })();
          const logged = correlation ? h.logLines.filter((l) => l.includes(correlation)).join(' | ').slice(0, 1500) : '';
          violation(`status ${res.statusCode} ${code}`, `${where}; log: ${logged}`);
        }
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
      { numRuns: RUNS, seed: SEED },
    );
    console.info(`fuzz: ${seen.total} requests (seed ${SEED}), by status ${JSON.stringify(Object.fromEntries([...seen.byStatus].sort(([a], [b]) => a - b)))}`);
    expect(seen.total).toBeGreaterThanOrEqual(RUNS);
    expect([...violations].map(([kind, { count, example }]) => `${kind} x${count} (FUZZ_SEED=${SEED}), e.g. ${example}`)).toEqual([]);
    // The generators reach the interesting answers, not only 401s.
    for (const status of [200, 400, 401, 403, 404, 422]) expect([status, seen.byStatus.get(status) ?? 0]).not.toEqual([status, 0]);
    // ... over every endpoint.
    expect(endpoints.filter((_, i) => seen.byEndpoint[i] < RUNS / endpoints.length / 3).map(([m, p]) => `${m} ${p.toString()}`)).toEqual([]);
  });

  it('the logs hold no personal code and no token', () => {
    expect(secretsIn(h.logLines.join(''), [...h.codes, REP_CODE, draftBody().user.personalCode as string], tokens)).toEqual([]);
  });
});
