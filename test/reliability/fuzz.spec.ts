/**
 * At least 10,000 generated requests (fast-check) over every route, in-process (Fastify inject):
 * malformed JSON, null and non-object bodies, wrong types, huge and deeply nested bodies, unicode
 * edge cases (NUL, control characters and lone surrogates in any text of any body, query or path),
 * odd content types and headers, forged, cut and borrowed cursors beside real ones, malformed
 * filters and dates, positions beyond 2^64-1, correlation ids shaped like personal codes, forged,
 * expired and malformed tokens, and service credentials on people's routes. For every request: no
 * status >= 500 (but one: 503 READ_MODEL_BEHIND for a minPosition the log has not reached, the
 * correct answer to a read-your-writes wait), every error is application/problem+json with its
 * status in the body, a refused request appends no event (the log's head is unchanged), a service
 * credential is never served on a person's route, and no correlation id shaped like a personal code
 * comes back. A 2xx may append: valid requests are generated too.
 */
import fc from 'fast-check';
import { isCatalogued, PROBLEM_TYPE_BASE } from '@atlauja/problems';
import { PORTAL_PAGES } from '../../apps/api/src/session/portal-pages';
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
const MAX_POSITION = '18446744073709551615';
const cursorOf = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
/** Characters no text of ours may hold, alone and inside text. */
const BAD_TEXT = ['\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f', '\ud800', '\udfff', '\ud83d\ud83d', 'a\u0000b', 'Bērziņa\u0000'];
/** The routes a service credential may call, and those anyone may; on every other route it must never be served. */
const SERVICE_ROUTES = ['POST /portal/logins', 'POST /e-service/authorizations'];
/** Routes that take no token: health, metrics, and the portal's sign-in (which ignores an Authorization header). */
const PUBLIC_ROUTES = [
  'GET /health', 'GET /ready', 'GET /metrics', 'GET /problems', 'GET /problems/:code',
  'GET /session', 'GET /session/demo-people', 'POST /session/demo', 'POST /session/sign-out', 'GET /session/oidc/start', 'GET /session/oidc/callback',
  // The portal's pages are its HTML shell, the same for everyone: the data behind them is the API's.
  'GET /', ...PORTAL_PAGES.flatMap((page) => [`GET /${page}`, `GET /${page}/*`]),
];
const PERSONAL_CODE_LIKE = /\d{6}[._:-]?\d{5}/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe(`fuzzing every endpoint (${RUNS} requests)`, () => {
  let h: ReliabilityApp;
  const ids: string[] = [];
  const campaigns: string[] = [];
  const tokens: string[] = [];
  /** The municipality's representative (who works its campaign). */
  let municipalityRepresentative = '';
  /** Tokens of service credentials (with every role, and the portal's): never served on a person's route. */
  const serviceTokens: string[] = [];
  /** Cursors the service issued during the run: real ones to page with, and to tamper with. */
  const cursors: string[] = [];
  const seen = { total: 0, byStatus: new Map<number, number>(), byEndpoint: [] as number[], legitimateWaits: 0 };

  /** The position a request asks its read model to wait for (query or body), when it names a valid one. */
  function waitedFor(url: string, body: string | undefined): bigint | null {
    const fromQuery = new URLSearchParams(url.split('?')[1] ?? '').getAll('minPosition');
    let fromBody: unknown;
    try {
      fromBody = body === undefined ? undefined : (JSON.parse(body) as { minPosition?: unknown })?.minPosition;
    } catch {
      fromBody = undefined;
    }
    const given = fromQuery.length === 1 ? fromQuery[0] : fromBody;
    return typeof given === 'string' && /^\d{1,20}$/.test(given) ? BigInt(given) : null;
  }
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
    // At the municipality: the ministry's applications stay open to commands, so the fuzz reaches the appends behind them.
    const openCampaign = async () => campaigns.push(String((await setup('/recertifications', { institution: MUNICIPALITY, deadline: inDays(30) }, 201)).id ?? ''));
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
    // Service credentials: one carrying every role a person may hold, and the portal's.
    serviceTokens.push(
      await h.issuer.mint({ subject: 'budzets', roles: ['representative', 'approver', 'auditor', 'admin'], institutions: [MINISTRY], service: 'budzets' }),
      await h.issuer.mint({ subject: 'budzets-portal', roles: [], institutions: [], service: 'budzets-portal' }),
    );
    tokens.push(...serviceTokens);
    municipalityRepresentative = await h.issuer.mint({ subject: REP_CODE, roles: ['representative'], institutions: [MUNICIPALITY] });
    tokens.push(municipalityRepresentative);
    // The first cursors, issued by every list that has a second page (later ones are collected as the run goes),
    // once the read models hold the setup.
    const settled = (await h.store.headPosition()).toString();
    for (const [url, token] of [
      ['/queue?limit=1', h.tokens.approver],
      [`/institutions/${MINISTRY}/applications?limit=1`, h.tokens.representative],
      ['/audit-log?limit=1', h.tokens.auditor],
      ['/audit-log?limit=1&order=asc', h.tokens.auditor],
    ]) {
      const page = await h.inject({ method: 'GET', url: `${url}&minPosition=${settled}`, headers: { authorization: `Bearer ${token}` } });
      if (page.statusCode !== 200 || typeof page.json().nextCursor !== 'string') throw new Error(`setup ${url}: ${page.statusCode} ${page.body.slice(0, 200)}`);
      cursors.push(page.json().nextCursor);
    }
  });

  afterAll(() => h?.close());

  /** Path parameters: an application id, a registration number, a campaign id (each real or junk). */
  type Params = { id: string; reg: string; campaign: string; query: string };
  /** Every route the application serves (its pattern, as the router declares it), and two it does not. */
  const endpoints: [string, string | null, (p: Params) => string][] = [
    ['POST', '/applications', () => '/applications'],
    ['GET', '/applications/:id', (p) => `/applications/${p.id}`],
    ['GET', '/applications/:id/events', (p) => `/applications/${p.id}/events`],
    ['GET', '/applications/:id/document', (p) => `/applications/${p.id}/document`],
    ['PATCH', '/applications/:id', (p) => `/applications/${p.id}`],
    ['PUT', '/applications/:id/rights', (p) => `/applications/${p.id}/rights`],
    ['POST', '/applications/:id/submit', (p) => `/applications/${p.id}/submit`],
    ['POST', '/applications/:id/signature', (p) => `/applications/${p.id}/signature`],
    ['POST', '/applications/:id/withdraw', (p) => `/applications/${p.id}/withdraw`],
    ['POST', '/applications/:id/claim', (p) => `/applications/${p.id}/claim`],
    ['POST', '/applications/:id/release', (p) => `/applications/${p.id}/release`],
    ['POST', '/applications/:id/approve', (p) => `/applications/${p.id}/approve`],
    ['POST', '/applications/:id/reject', (p) => `/applications/${p.id}/reject`],
    ['POST', '/applications/:id/revoke', (p) => `/applications/${p.id}/revoke`],
    ['POST', '/applications/:id/changes', (p) => `/applications/${p.id}/changes`],
    ['GET', '/health', () => '/health'],
    ['GET', '/problems', (p) => `/problems${p.query}`],
    ['GET', '/problems/:code', (p) => `/problems/${p.id.length % 2 === 0 ? 'FOUR_EYES' : encodeURIComponent(p.id)}`],
    ['GET', '/ready', () => '/ready'],
    ['DELETE', null, (p) => `/applications/${p.id}`],
    ['GET', null, (p) => `/applications/${p.id}/nothing-here`],
    // the institution registry and re-certification
    ['GET', '/institutions', (p) => `/institutions${p.query}`],
    ['GET', '/institutions/:reg', (p) => `/institutions/${p.reg}`],
    ['POST', '/institutions', () => '/institutions'],
    ['PATCH', '/institutions/:reg', (p) => `/institutions/${p.reg}`],
    ['POST', '/institutions/:reg/suspend', (p) => `/institutions/${p.reg}/suspend`],
    ['POST', '/institutions/:reg/reactivate', (p) => `/institutions/${p.reg}/reactivate`],
    ['POST', '/institutions/:reg/deactivate', (p) => `/institutions/${p.reg}/deactivate`],
    ['POST', '/institutions/:reg/representatives', (p) => `/institutions/${p.reg}/representatives`],
    ['POST', '/institutions/:reg/representatives/remove', (p) => `/institutions/${p.reg}/representatives/remove`],
    ['POST', '/institutions/:reg/merge', (p) => `/institutions/${p.reg}/merge`],
    ['POST', '/institutions/:reg/merge/finish', (p) => `/institutions/${p.reg}/merge/finish`],
    ['POST', '/institutions/import', () => '/institutions/import'],
    ['POST', '/recertifications', () => '/recertifications'],
    ['GET', '/recertifications/:id', (p) => `/recertifications/${p.campaign}`],
    ['POST', '/recertifications/:id/confirm', (p) => `/recertifications/${p.campaign}/confirm`],
    ['POST', '/recertifications/:id/drop', (p) => `/recertifications/${p.campaign}/drop`],
    ['POST', '/recertifications/:id/complete', (p) => `/recertifications/${p.campaign}/complete`],
    ['POST', '/recertifications/:id/close-at-deadline', (p) => `/recertifications/${p.campaign}/close-at-deadline`],
    ['POST', '/recertifications/:id/finish', (p) => `/recertifications/${p.campaign}/finish`],
    // the portal's login intake and the e-service's question (service credentials')
    ['POST', '/portal/logins', () => '/portal/logins'],
    ['POST', '/e-service/authorizations', () => '/e-service/authorizations'],
    // the portal's session and its views
    ['GET', '/session', () => '/session'],
    ['GET', '/session/demo-people', () => '/session/demo-people'],
    ['POST', '/session/demo', () => '/session/demo'],
    ['POST', '/session/sign-out', () => '/session/sign-out'],
    ['GET', '/session/oidc/start', (p) => `/session/oidc/start${p.query}`],
    ['GET', '/session/oidc/callback', (p) => `/session/oidc/callback${p.query}`],
    ['GET', '/session/applications/:id', (p) => `/session/applications/${p.id}`],
    ['GET', '/session/decisions', () => '/session/decisions'],
    // operations
    ['GET', '/metrics', () => '/metrics'],
    ['POST', '/admin/trust/reload', () => '/admin/trust/reload'],
    // the read models
    ['GET', '/queue', (p) => `/queue${p.query}`],
    ['GET', '/institutions/:regNo/applications', (p) => `/institutions/${p.reg}/applications${p.query}`],
    ['POST', '/rights/search', () => '/rights/search'],
    ['GET', '/audit-log', (p) => `/audit-log${p.query}`],
    ['POST', '/audit-log/search', () => '/audit-log/search'],
    ['GET', '/read-models/status', (p) => `/read-models/status${p.query}`],
    // the auditor's endpoints
    ['GET', '/audit/applications/:id/history', (p) => `/audit/applications/${p.id}/history${p.query}`],
    ['GET', '/audit/applications/:id/state', (p) => `/audit/applications/${p.id}/state${p.query}`],
    ['GET', '/audit/applications/:id/signatures', (p) => `/audit/applications/${p.id}/signatures`],
    ['POST', '/audit/users/history', () => '/audit/users/history'],
    ['GET', '/audit/institutions/:registrationNumber/history', (p) => `/audit/institutions/${p.reg}/history${p.query}`],
    ['GET', '/audit/bundle', (p) => `/audit/bundle${p.query}`],
  ];

  const unicode = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom('\u202e', '\ufeff', 'Bērziņa\u0301', '👩‍👩‍👧‍👦', 'ǅ', '\u00a0', '%00', '../../etc/passwd', '121288-15555', 'Ģirts\n\tĒriks\r\n'),
    fc.constantFrom(...BAD_TEXT),
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
  /** A cursor: one the service issued (as is, or with a character changed), or forged outright. */
  const cursor = fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((i) => cursors[i % Math.max(cursors.length, 1)] ?? 'none-issued-yet') },
    { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('A', 'z', '_', '-', '0')).map(([i, at, c]) => { const real = cursors[i % Math.max(cursors.length, 1)] ?? 'WyJ4Il0'; const k = at % real.length; return real.slice(0, k) + c + real.slice(k + 1); }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        cursorOf(['approval-queue', 'yesterday', 'x']),
        cursorOf(['approval-queue', '0000-01-01 00:00:00+00', 'x']),
        cursorOf(['institution-applications', '2026-01-01 00:00:00+00', 'x\u0000']),
        cursorOf(['institution-applications', '2026-02-30 00:00:00+00', 'x']),
        cursorOf(['audit-log-desc', '99999999999999999999']),
        cursorOf(['audit-log-asc', '-1']),
        cursorOf(['rights-register', 'a', 'b', 'c', 'd', 'e\ud800']),
        cursorOf(['rights-register', 'a', 'b', 'c', 'd']),
        cursorOf(['x', 'y']),
        cursorOf(null),
        cursorOf('a string'),
        'not-a-cursor!',
        '',
      ),
    },
  );
  const queryValue = fc.oneof(
    fc.constantFrom('', '0', '1', '-1', '100', '1000000', '99999999999999999999999', 'true', 'asc', 'desc', 'sideways', MINISTRY, 'new-user', 'signed', 'approved', '2025-01-01', '2025-13-45T99:00:00Z', 'application-x', 'eyJ9', '%00', '%zz'),
    // malformed filters and dates, positions at and beyond 2^64-1, numbers written otherwise
    fc.constantFrom('%01', '%1b', '%7f', '%C2%85', '%ED%A0%80', 'a%00b', '2026', 'yesterday', '2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2026-03-01T10:00:00', '2026-03-01T10:00:00Z', '2026-03-01T10:00:00%2B02:00', MAX_POSITION, '18446744073709551616', '99999999999999999999', '0x10', '1e1', '%201', 'signed,,approved'),
    unicode.map((v) => encodeURIComponent(v.replace(/[\ud800-\udfff]/g, ''))),
    cursor.map((c) => encodeURIComponent(c)),
  );
  const queryName = fc.constantFrom('cursor', 'limit', 'minPosition', 'institution', 'kind', 'claimed', 'stream', 'type', 'from', 'to', 'order', 'status', 'name', 'at', 'revision', 'x', 'limit[]', '__proto__');
  const query = fc.oneof(
    { weight: 2, arbitrary: fc.constant('') },
    { weight: 3, arbitrary: fc.array(fc.tuple(queryName, queryValue), { minLength: 1, maxLength: 4 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`) },
    { weight: 1, arbitrary: fc.constantFrom('?', '?&&', '?limit', '?limit=1&limit=2', '?cursor=' + 'A'.repeat(3000)) },
    // read-your-writes: a position reached, one ahead of the log (a wait, then 503), one beyond 2^64-1 (400 at once)
    { weight: 2, arbitrary: fc.constantFrom(MAX_POSITION, '1', '999999999', '18446744073709551616').map((v) => `?minPosition=${v}`) },
    // paging: a small page (so that cursors are issued), with a cursor real, changed or forged
    { weight: 2, arbitrary: fc.tuple(cursor, fc.boolean(), fc.constantFrom('', '&order=asc', '&order=desc', '&claimed=no', '&status=signed')).map(([c, first, more]) => (first ? `?limit=1${more}` : `?limit=1${more}&cursor=${encodeURIComponent(c)}`)) },
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
    fc.constant({ kind: 'change', justification: 'Moves to the procurement unit.' }),
    fc.constant({ kind: 'termination', justification: 'Left the ministry.\nLast day: Friday.' }),
    fc.constant({ personalCode: draftBody().user.personalCode }),
    fc.constantFrom({ minPosition: MAX_POSITION }, { minPosition: '18446744073709551616' }, { minPosition: '99999999999999999999' }, { limit: 1 }, { limit: 1, employer: MINISTRY }),
  );
  /** A search body with a cursor, real, changed or forged. */
  const searchBody = fc.tuple(cursor, fc.constantFrom({}, { employer: MINISTRY }, { order: 'asc' }, { stream: 'application-x' })).map(([c, rest]) => ({ ...rest, limit: 1, cursor: c }));
  // Valid bodies with one field replaced by something of another type.
  const mutated = fc.tuple(validish, fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 })).map(([body, key, value]) => {
    const keys = Object.keys(body);
    const target = keys.length > 0 && key.length % 2 === 0 ? keys[key.length % keys.length] : key;
    return { ...body, [target]: value };
  });
  /** A valid body with a character no text may hold put into one of its strings, or into one of its field names. */
  const poisoned = fc.tuple(validish, fc.constantFrom(...BAD_TEXT), fc.nat(), fc.boolean()).map(([body, bad, n, inKey]) => poison(body, bad, n, inKey));
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
    { weight: 4, arbitrary: poisoned.map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: searchBody.map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: fc.constantFrom('null', 'true', '42', '[]', '[{}]', '""') },
  );
  const auth = fc.oneof(
    { weight: 8, arbitrary: fc.nat().map((i) => `Bearer ${tokens[i % tokens.length]}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: fc.oneof(fc.constantFrom('Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'bearer x.y.z', 'Bearer eyJ.eyJ.sig'), unicode.map((s) => `Bearer ${s}`)) },
  );
  // JSON most of the time, so that bodies reach the checks behind the media type; the rest are 415s (or raw .p7s uploads).
  const contentType = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('text/plain', 'application/pkcs7-signature', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', 'application/xml', ''),
    },
  );
  const extraHeaders = fc.record(
    {
      'if-match': fc.oneof(fc.constantFrom('"0"', '"1"', '"99999999999999999999999"', '*', 'W/"0"', '"-1"'), unicode),
      'idempotency-key': fc.oneof(fc.constantFrom('fuzz-key-00000001', 'fuzz-key-00000002'), unicode),
      'x-correlation-id': fc.oneof(
        unicode,
        fc.constantFrom('121288-15555', '12128815555', REP_CODE, REP_CODE.replace('-', ''), `req-${REP_CODE}-1`, '121288.15555', 'a'.repeat(65), 'portal.req:42_a-b'),
      ),
    },
    { requiredKeys: [] },
  );

  /** A request ready to send, and which endpoint it counts for. */
  interface Prepared {
    endpoint: number;
    url: string;
    headers: Record<string, string>;
    body?: string;
  }
  const printable = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);
  const endpointOf = (method: string, route: string) => endpoints.findIndex(([m, r]) => m === method && r === route);

  /** Anything on any endpoint: the shapes above, combined at random. */
  const anything = fc.record({ endpoint: fc.integer({ min: 0, max: endpoints.length - 1 }), params: fc.record({ id, reg, campaign, query }), body, auth, contentType, extraHeaders }).map((r): Prepared => {
    const [method, , path] = endpoints[r.endpoint];
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(r.extraHeaders)) if (value !== undefined && printable(value)) headers[name] = value;
    if (r.auth !== undefined && printable(r.auth)) headers.authorization = r.auth;
    if (r.body !== undefined && r.contentType !== '') headers['content-type'] = r.contentType;
    return { endpoint: r.endpoint, url: path(r.params), headers, ...(r.body !== undefined && method !== 'GET' ? { body: r.body } : {}) };
  });

  /**
   * Requests that would succeed but for one thing, from the caller the route is for: a character no
   * text may hold in one string of the body or the query (or in a field name), a cursor real,
   * changed or forged, a position at or beyond 2^64-1, or a service credential in the person's
   * place. So the input classes reach the code behind authentication and validation, where a
   * missed one would have become a 500 from PostgreSQL.
   */
  type Who = 'representative' | 'municipalityRepresentative' | 'approver' | 'auditor' | 'admin' | 'service';
  const pick = <T,>(list: readonly T[], n: number): T => list[n % list.length];
  const pickCursor = (n: number) => pick(cursors.length > 0 ? cursors : ['none'], n);
  const TEMPLATES: { route: string; who: Who; url: () => string; body?: () => object; query?: (n: number) => Record<string, string> }[] = [
    { route: 'POST /applications', who: 'representative', url: () => '/applications', body: () => draftBody() },
    { route: 'PATCH /applications/:id', who: 'representative', url: () => `/applications/${ids[0]}`, body: () => ({ justification: 'Sagatavo tāmi.\nPaldies.', user: { ...draftBody().user, givenName: 'Ģirts' } }) },
    { route: 'PUT /applications/:id/rights', who: 'representative', url: () => `/applications/${ids[0]}/rights`, body: () => MINISTRY_USER_RIGHTS },
    { route: 'POST /applications/:id/withdraw', who: 'representative', url: () => `/applications/${ids[1]}/withdraw`, body: () => ({ reason: 'Vairs nav vajadzīgs.' }) },
    { route: 'POST /applications/:id/reject', who: 'approver', url: () => `/applications/${ids[2]}/reject`, body: () => ({ reason: 'Nepilnīgs pamatojums.' }) },
    { route: 'POST /applications/:id/changes', who: 'representative', url: () => `/applications/${ids[3]}/changes`, body: () => ({ kind: 'change', justification: 'Pāriet uz iepirkumu nodaļu.' }) },
    { route: 'POST /institutions', who: 'admin', url: () => '/institutions', body: () => ({ registrationNumber: '90000000501', officialName: 'Izdomātā iestāde', type: 'subordinate', resortHead: MINISTRY, coordinationVariant: 1 }) },
    { route: 'PATCH /institutions/:reg', who: 'admin', url: () => `/institutions/${MUNICIPALITY}`, body: () => ({ officialName: 'Pārdēvētā pašvaldība', shortName: 'PP' }) },
    { route: 'POST /institutions/:reg/representatives', who: 'admin', url: () => `/institutions/${MUNICIPALITY}/representatives`, body: () => ({ personalCode: REP_CODE }) },
    { route: 'POST /institutions/import', who: 'admin', url: () => '/institutions/import', body: () => ({ csv: 'registration_number;name;type\n90000000502;Izdomātā CVI;cvi\n', dryRun: true }) },
    { route: 'POST /recertifications/:id/drop', who: 'municipalityRepresentative', url: () => `/recertifications/${campaigns[0]}/drop`, body: () => ({ personalCode: draftBody().user.personalCode, reason: 'Aizgāja.' }) },
    { route: 'POST /portal/logins', who: 'service', url: () => '/portal/logins', body: () => ({ personalCode: draftBody().user.personalCode }) },
    { route: 'POST /rights/search', who: 'auditor', url: () => '/rights/search', body: () => ({ personalCode: draftBody().user.personalCode, employer: MINISTRY }) },
    { route: 'POST /rights/search', who: 'representative', url: () => '/rights/search', body: () => ({ employer: MINISTRY, limit: 1 }) },
    { route: 'POST /audit-log/search', who: 'auditor', url: () => '/audit-log/search', body: () => ({ actor: REP_CODE, stream: `application-${ids[0]}`, type: 'ApplicationDrafted' }) },
    { route: 'POST /audit/users/history', who: 'auditor', url: () => '/audit/users/history', body: () => ({ personalCode: draftBody().user.personalCode }) },
    { route: 'GET /queue', who: 'approver', url: () => '/queue', query: (n) => pick<Record<string, string>>([{ institution: MINISTRY, kind: 'new-user', claimed: 'no' }, { limit: '1', cursor: pickCursor(n) }, { minPosition: pick([MAX_POSITION, '18446744073709551616', '1'], n) }], n) },
    { route: 'GET /institutions/:regNo/applications', who: 'representative', url: () => `/institutions/${MINISTRY}/applications`, query: (n) => pick<Record<string, string>>([{ name: 'Bērziņa', status: 'draft,signed' }, { limit: '1', cursor: pickCursor(n) }, { minPosition: pick([MAX_POSITION, '99999999999999999999', '2'], n) }], n) },
    { route: 'GET /audit-log', who: 'auditor', url: () => '/audit-log', query: (n) => pick<Record<string, string>>([{ stream: `application-${ids[0]}`, type: 'ApplicationDrafted', from: '2025-01-01T00:00:00Z', to: '2099-01-01T00:00:00+02:00' }, { limit: '1', cursor: pickCursor(n), order: pick(['asc', 'desc'], n) }, { from: pick(['2026', 'yesterday', '2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z'], n) }], n) },
    { route: 'GET /audit/applications/:id/state', who: 'auditor', url: () => `/audit/applications/${ids[3]}/state`, query: (n) => pick<Record<string, string>>([{ at: '2099-01-01T00:00:00Z' }, { revision: '1' }, { at: pick(['2026', 'yesterday', '2026-03-01T10:00:00'], n) }], n) },
  ];
  const tokenOf = (who: Who): string => (who === 'service' ? serviceTokens[1] : who === 'municipalityRepresentative' ? municipalityRepresentative : h.tokens[who]);
  const targeted = fc
    .tuple(fc.nat(), fc.oneof(fc.constant(''), fc.constantFrom(...BAD_TEXT)), fc.nat(), fc.boolean(), fc.nat({ max: 9 }), extraHeaders)
    .map(([t, bad, n, inKey, swap, extra]): Prepared => {
      const template = TEMPLATES[t % TEMPLATES.length];
      const [method, route] = template.route.split(' ');
      // One in ten goes with a service credential in place of the person (and the person's on the service's route).
      const who: Who = swap === 0 ? (template.who === 'service' ? 'representative' : 'service') : template.who;
      const headers: Record<string, string> = { authorization: `Bearer ${who === 'service' && template.who !== 'service' ? serviceTokens[0] : tokenOf(who)}` };
      for (const [name, value] of Object.entries(extra)) if (value !== undefined && printable(value)) headers[name] = value;
      let url = template.url();
      let payload: string | undefined;
      if (template.query) {
        const query = bad === '' ? template.query(n) : (poison(template.query(n), bad, n, inKey) as Record<string, string>);
        // A URL cannot carry a lone surrogate (encodeURIComponent refuses it): it arrives as U+FFFD, as a browser would send it.
        const part = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'));
        url += `?${Object.entries(query).map(([k, v]) => `${part(k)}=${part(String(v))}`).join('&')}`;
      } else if (template.body) {
        payload = JSON.stringify(bad === '' ? template.body() : poison(template.body(), bad, n, inKey));
        headers['content-type'] = 'application/json';
      }
      return { endpoint: endpointOf(method, route), url, headers, ...(payload !== undefined ? { body: payload } : {}) };
    });

  const request = fc.oneof({ weight: 3, arbitrary: anything }, { weight: 1, arbitrary: targeted });

  beforeAll(() => {
    seen.byEndpoint = endpoints.map(() => 0);
  });

  /** `body` with `bad` put into its n-th string (or the n-th field name); a body without one gets a field holding it. */
  function poison(body: object, bad: string, n: number, inKey: boolean): object {
    const copy = JSON.parse(JSON.stringify(body)) as Record<string, unknown>;
    const slots: { holder: Record<string, unknown> | unknown[]; key: string }[] = [];
    const walk = (node: unknown) => {
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'string' || (inKey && !Array.isArray(node))) slots.push({ holder: node as Record<string, unknown>, key });
        walk(value);
      }
    };
    walk(copy);
    if (slots.length === 0) return { ...copy, [inKey ? `x${bad}` : 'x']: bad };
    const { holder, key } = slots[n % slots.length];
    const record = holder as Record<string, unknown>;
    if (inKey && !Array.isArray(holder)) {
      const value = record[key];
      delete record[key];
      record[`${key.slice(0, 2)}${bad}${key.slice(2)}`] = value;
    } else {
      const text = String(record[key]);
      record[key] = `${text.slice(0, n % (text.length + 1))}${bad}${text.slice(n % (text.length + 1))}`;
    }
    return copy;
  }

  it('never answers >= 500, always problem+json on errors, and never appends on a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [method, route] = endpoints[r.endpoint];
        const { headers, url } = r;
        const before = await h.store.headPosition();
        const res = await h.inject({ method, url, headers, ...(r.body !== undefined ? { payload: r.body } : {}) });
        seen.total += 1;
        seen.byEndpoint[r.endpoint] += 1;
        seen.byStatus.set(res.statusCode, (seen.byStatus.get(res.statusCode) ?? 0) + 1);
        const shownHeaders = Object.entries(headers).map(([k, v]) => `${k}: ${k === 'authorization' ? `${v.slice(0, 7)}…#${tokens.findIndex((t) => v === `Bearer ${t}`)}` : v.slice(0, 40)}`).join('; ');
        const answer = (() => {
          try {
            return res.json() as { code?: unknown; correlationId?: unknown; nextCursor?: unknown; status?: unknown; title?: unknown };
          } catch {
            return {};
          }
        })();
        if (typeof answer.nextCursor === 'string' && cursors.length < 200) cursors.push(answer.nextCursor);
        const where = `${method} ${url.slice(0, 100)} [${shownHeaders}; body ${JSON.stringify(r.body?.slice(0, 120) ?? null)} (${String(r.body?.length ?? 0)} chars)] -> ${res.statusCode} ${res.body.slice(0, 300)}`;
        const code = (() => {
          try {
            return String(res.json().code ?? '');
          } catch {
            return '';
          }
        })();
        const after503 = res.statusCode === 503 && answer.code === 'READ_MODEL_BEHIND' ? await h.store.headPosition() : null;
        // A read-your-writes wait for a position the log did not hold before, during or after the
        // request (requests run one at a time and a query appends nothing) can only end in 503
        // READ_MODEL_BEHIND: that is the correct answer, not a failure. Any other 5xx is.
        const waited = waitedFor(url, r.body);
        const legitimateWait = after503 !== null && waited !== null && waited > before && waited > after503;
        if (legitimateWait) seen.legitimateWaits += 1;
        if (res.statusCode >= 500 && !legitimateWait) {
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
            // Its type is an entry of the catalogue the API serves; its instance names the request, never a personal code.
            if (typeof problem.type !== 'string' || !problem.type.startsWith(PROBLEM_TYPE_BASE) || !isCatalogued(problem.type.slice(PROBLEM_TYPE_BASE.length))) violation(`a problem type outside the catalogue: ${String(problem.type)}`, where);
            if (typeof problem.instance !== 'string' || PERSONAL_CODE_LIKE.test(problem.instance)) violation(`a problem without a safe instance: ${res.statusCode}`, where);
          }
          const after = await h.store.headPosition();
          if (after !== before) violation(`a refused request appended: ${res.statusCode}`, `${where} (head ${before} -> ${after})`);
        }
        const service = serviceTokens.some((t) => headers.authorization === `Bearer ${t}`);
        // Dot segments are resolved before routing (`/applications/..` is `/`): such a request reached another route than the one drawn.
        const reached = !url.split('?')[0].split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
        if (service && reached && res.statusCode < 400 && route !== null && ![...SERVICE_ROUTES, ...PUBLIC_ROUTES].includes(`${method} ${route}`)) violation(`a service credential was served on a person's route: ${res.statusCode}`, where);
        // The caller's id comes back only when it is safe; otherwise a fresh one, never shaped like a personal code.
        const echoed = String(res.headers['x-correlation-id'] ?? '');
        const given = headers['x-correlation-id'];
        if (echoed !== given && !UUID_V4.test(echoed)) violation('the correlation id is neither the caller\'s nor a fresh one', where);
        if (PERSONAL_CODE_LIKE.test(echoed) || !/^[A-Za-z0-9._:-]{1,64}$/.test(echoed)) violation('a correlation id shaped like a personal code (or unsafe) came back', where);
        if (res.statusCode >= 400 && answer.correlationId !== echoed) violation('the problem names another correlation id than the header', where);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.info(
      `fuzz: ${seen.total} requests (seed ${SEED}), by status ${JSON.stringify(Object.fromEntries([...seen.byStatus].sort(([a], [b]) => a - b)))}; ` +
        `${seen.legitimateWaits} waits for a position the log had not reached (503 READ_MODEL_BEHIND); ${cursors.length} cursors issued`,
    );
    expect(seen.total).toBeGreaterThanOrEqual(RUNS);
    expect([...violations].map(([kind, { count, example }]) => `${kind} x${count} (FUZZ_SEED=${SEED}), e.g. ${example}`)).toEqual([]);
    // The generators reach the interesting answers, not only 401s.
    for (const status of [200, 400, 401, 403, 404, 422]) expect([status, seen.byStatus.get(status) ?? 0]).not.toEqual([status, 0]);
    // ... over every endpoint.
    expect(endpoints.filter((_, i) => seen.byEndpoint[i] < RUNS / endpoints.length / 3).map(([m, route, p]) => `${m} ${route ?? p.toString()}`)).toEqual([]);
    // ... with real cursors issued, paged with and tampered with.
    expect(cursors.length).toBeGreaterThan(0);
  });

  it('fuzzes every route the application serves (a new route must be added here)', () => {
    const served = h.routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && !r.url.startsWith('/docs')).map((r) => `${r.method} ${r.url}`);
    const fuzzed = endpoints.filter(([, route]) => route !== null).map(([method, route]) => `${method} ${route}`);
    expect(served.filter((route) => !fuzzed.includes(route))).toEqual([]);
  });

  it('the logs hold no personal code and no token', () => {
    expect(secretsIn(h.logLines.join(''), [...h.codes, REP_CODE, draftBody().user.personalCode as string, '121288-15555'], tokens)).toEqual([]);
  });
});
