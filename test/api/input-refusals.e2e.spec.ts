/**
 * Bad input is a 4xx naming the field and the rule, never a 500, and nothing is appended: text with
 * control characters or lone surrogates anywhere, malformed query filters and dates, positions out
 * of range, forged or edited cursors on every list, bodies that are not JSON objects, and
 * correlation ids shaped like a personal code. Over HTTP, against the real application.
 */
import { bearer, draftBody, Harness, MINISTRY, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';
import { oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';

const MAX_POSITION = '18446744073709551615';
const cursorOf = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const partsOf = (cursor: string): unknown[] => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));

describe('bad input: a 4xx naming the field and the rule, never a 500, nothing appended', () => {
  let h: Harness;
  const inject = (options: { method: string; url: string; headers?: Record<string, string>; payload?: string | Buffer }) =>
    h.app.getHttpAdapter().getInstance().inject(options as never) as unknown as Promise<{ statusCode: number; headers: Record<string, string>; body: string; json(): any }>;
  const json = (token: string, extra: Record<string, string> = {}) => ({ ...bearer(token), 'content-type': 'application/json', ...extra });

  /** Sends the request and expects a refusal with `status`, as problem+json, with the store's head unchanged. */
  async function refused(options: Parameters<typeof inject>[0], status: number): Promise<any> {
    const before = await h.store.headPosition();
    const res = await inject(options);
    expect({ status: res.statusCode, body: res.body.slice(0, 300) }).toEqual({ status, body: expect.any(String) });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status });
    expect(await h.store.headPosition()).toBe(before);
    return res.json();
  }
  const fields = (problem: { errors?: { field: string; rule: string }[] }) => (problem.errors ?? []).map((e) => `${e.field}:${e.rule}`);

  beforeAll(async () => {
    h = await startHarness({}, { READ_YOUR_WRITES_TIMEOUT_MS: '300' });
  });
  afterAll(() => h?.close());

  describe('text: no control character but tab, line feed and carriage return, no lone surrogate', () => {
    it.each([
      ['NUL', '\u0000', 'U+0000'],
      ['a bell', '\u0007', 'U+0007'],
      ['an escape', '\u001b[31m', 'U+001B'],
      ['DEL', '\u007f', 'U+007F'],
      ['a C1 next-line', '\u0085', 'U+0085'],
    ])('given a draft whose justification holds %s, when it is posted, then 400 names justification and the rule', async (_name, bad, codePoint) => {
      const problem = await refused({ method: 'POST', url: '/applications', headers: json(h.tokens.representative), payload: JSON.stringify(draftBody({ justification: `Needs it${bad}.` })) }, 400);
      expect(problem.errors).toEqual([expect.objectContaining({ field: 'justification', rule: 'controlCharacter', message: expect.stringContaining(codePoint) })]);
    });

    it.each([
      ['a high surrogate', '\ud800'],
      ['a low surrogate', '\udfff'],
      ['two high surrogates', '\ud83d\ud83d'],
    ])("given a user's given name holding %s, when drafted, then 400 names user.givenName: loneSurrogate", async (_name, bad) => {
      const problem = await refused({ method: 'POST', url: '/applications', headers: json(h.tokens.representative), payload: JSON.stringify(draftBody({ user: { ...draftBody().user, givenName: `Ann${bad}a` } })) }, 400);
      expect(fields(problem)).toEqual(['user.givenName:loneSurrogate']);
    });

    it('given bad characters deep in a list and in a field name, then each is named by its path', async () => {
      const id = (await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(201)).body.applicationId;
      const rights = { rights: [MINISTRY_USER_RIGHTS.rights[0], { ...MINISTRY_USER_RIGHTS.rights[1], groups: ['MANAGE\u0000'] }] };
      expect(fields(await refused({ method: 'PUT', url: `/applications/${id}/rights`, headers: json(h.tokens.representative), payload: JSON.stringify(rights) }, 400))).toEqual(['rights[1].groups[0]:controlCharacter']);
      const keyed = await refused({ method: 'PATCH', url: `/applications/${id}`, headers: json(h.tokens.representative), payload: '{"justi\\u0000fication":"x"}' }, 400);
      expect(fields(keyed)).toEqual(['["justi\\u0000fication"]:controlCharacter']);
    });

    it('given Latvian letters, an emoji, line feeds and tabs in free text, then they are stored exactly as sent', async () => {
      const justification = 'Sagatavo ministrijas tāmi;\n\tpārrauga padotības iestāžu budžetus (ĀČĒĢĪĶĻŅŠŪŽ āčēģīķļņšūž) 👩‍💼\r\nPaldies.';
      const givenName = 'Ģirts Ēriks';
      const drafted = await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody({ justification, user: { ...draftBody().user, givenName } })).expect(201);
      const read = await h.http().get(`/applications/${drafted.body.applicationId}`).set(bearer(h.tokens.representative)).expect(200);
      expect(read.body).toMatchObject({ justification, user: { givenName } });
    });

    it('given a control character on the registry routes (a name, a reason, an imported list), then 400 names the field', async () => {
      const admin = json(h.tokens.admin);
      expect(fields(await refused({ method: 'POST', url: '/institutions', headers: admin, payload: JSON.stringify({ registrationNumber: '90000000701', officialName: 'Iestāde\u0000', type: 'ministry', coordinationVariant: 2 }) }, 400))).toEqual(['officialName:controlCharacter']);
      expect(fields(await refused({ method: 'POST', url: `/institutions/${MINISTRY}/suspend`, headers: admin, payload: JSON.stringify({ reason: 'Pārbaude\u0002' }) }, 400))).toEqual(['reason:controlCharacter']);
      const csv = 'registration_number;name;type\n90000000702;Iestāde\u0000;ministry\n';
      expect(fields(await refused({ method: 'POST', url: '/institutions/import', headers: admin, payload: JSON.stringify({ csv }) }, 400))).toEqual(['csv:controlCharacter']);
    });

    it.each([
      ['a name filter', `/institutions/${MINISTRY}/applications?name=%00`, 'representative', 'name'],
      ['a stream filter', '/audit-log?stream=%00', 'auditor', 'stream'],
      ['a type filter', '/audit-log?type=%01', 'auditor', 'type'],
      ['a path parameter', '/institutions/%00/applications', 'representative', 'regNo'],
      ['an instant', '/audit/applications/6d1f6f43-4c0a-4c4b-9a59-0b8c1c6a0e11/state?at=%1b', 'auditor', 'at'],
      ['an application id', '/applications/%00/events', 'approver', 'id'],
      ['a query parameter no route reads', '/institutions?x=%7f', 'admin', 'x'],
    ] as const)('given a control character in %s, then 400 names the parameter (not a 500 from PostgreSQL)', async (_name, url, who, field) => {
      expect(fields(await refused({ method: 'GET', url, headers: bearer(h.tokens[who]) }, 400))).toEqual([`${field}:controlCharacter`]);
    });
  });

  describe('query filters and dates: malformed ones name the parameter', () => {
    it.each([
      ['/audit-log?from=2026', 'from', 'isInstant'],
      ['/audit-log?to=yesterday', 'to', 'isInstant'],
      ['/audit-log?from=2026-02-30T00:00:00Z', 'from', 'isInstant'],
      ['/audit-log?from=0000-01-01T00:00:00Z', 'from', 'isInstant'],
      ['/audit-log?to=2026-03-01T10:00:00', 'to', 'isInstant'],
      ['/audit-log?to=2026-03-01T25:00:00Z', 'to', 'isInstant'],
      ['/audit-log?order=sideways', 'order', 'isIn'],
      ['/audit-log?type=Application-Approved', 'type', 'matches'],
      ['/audit-log?institution=9000000000', 'institution', 'matches'],
      ['/queue?limit=0', 'limit', 'min'],
      ['/queue?limit=201', 'limit', 'max'],
      ['/queue?limit=0x10', 'limit', 'isInt'],
      ['/queue?limit=1e1', 'limit', 'isInt'],
      ['/queue?limit=%201', 'limit', 'isInt'],
      ['/queue?limit=1&limit=2', 'limit', 'isInt'],
      ['/queue?claimed=maybe', 'claimed', 'isIn'],
      ['/queue?kind=everything', 'kind', 'isIn'],
      [`/institutions/${MINISTRY}/applications?status=signed,,approved`, 'status', 'matches'],
      [`/institutions/${MINISTRY}/applications?name=${'a'.repeat(101)}`, 'name', 'maxLength'],
      ['/queue?unknown=1', 'unknown', 'unknownField'],
    ])('given %s, then 400 names %s (%s)', async (url, field, rule) => {
      const who = url.startsWith('/audit') ? h.tokens.auditor : url.startsWith('/queue') ? h.tokens.approver : h.tokens.representative;
      expect(fields(await refused({ method: 'GET', url, headers: bearer(who) }, 400))).toContain(`${field}:${rule}`);
    });

    it('given well-formed instants with a zone, then the audit log answers', async () => {
      const res = await inject({ method: 'GET', url: `/audit-log?from=${encodeURIComponent('2025-03-01T00:00:00+02:00')}&to=2099-01-01T00:00:00Z&limit=5`, headers: bearer(h.tokens.auditor) });
      expect(res.statusCode).toBe(200);
    });
  });

  describe('minPosition: a position of the log, 0 to 2^64-1', () => {
    it.each(['18446744073709551616', '99999999999999999999', '-1', '1e3', 'abc', ' 1', '123456789012345678901'])(
      'given minPosition=%s, then 400 names minPosition at once (no wait, no 503)',
      async (value) => {
        expect(fields(await refused({ method: 'GET', url: `/queue?minPosition=${encodeURIComponent(value)}`, headers: bearer(h.tokens.approver) }, 400))).toEqual(['minPosition:isPosition']);
        expect(fields(await refused({ method: 'POST', url: '/rights/search', headers: json(h.tokens.auditor), payload: JSON.stringify({ minPosition: value }) }, 400))).toEqual(['minPosition:isPosition']);
      },
    );

    it('given the greatest position, ahead of the log, then it is a legitimate wait: 503 READ_MODEL_BEHIND with Retry-After', async () => {
      const res = await inject({ method: 'GET', url: `/queue?minPosition=${MAX_POSITION}`, headers: bearer(h.tokens.approver) });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json()).toMatchObject({ code: 'READ_MODEL_BEHIND' });
    });
  });

  describe('cursors: only one this service issued for this list', () => {
    const pages: Record<string, { first: () => Parameters<typeof inject>[0]; next: (cursor: string) => Parameters<typeof inject>[0] }> = {};

    beforeAll(async () => {
      // Two applications approved (two rights holders), two more signed: every list has a second page at limit=1.
      const rep = bearer(h.tokens.representative);
      let position = '0';
      for (const [i, approve] of [[1, true], [2, true], [3, false], [4, false]] as const) {
        const user = { ...draftBody().user, personalCode: oldFormatPersonalCode('010180', 1, 600 + i), surname: `Kalniņa ${i}` };
        const id = (await h.http().post('/applications').set(rep).send(draftBody({ user })).expect(201)).body.applicationId;
        await h.http().put(`/applications/${id}/rights`).set(rep).send(MINISTRY_USER_RIGHTS).expect(200);
        await h.http().post(`/applications/${id}/submit`).set(rep).expect(200);
        const doc = await h.http().get(`/applications/${id}/document`).set(rep).expect(200);
        position = (await h.http().post(`/applications/${id}/signature`).set(rep).send({ signature: signDocument(h.representativeChain, doc.body.contentBase64) }).expect(200)).body.position;
        if (!approve) continue;
        await h.http().post(`/applications/${id}/claim`).set(bearer(h.tokens.approver)).expect(200);
        position = (await h.http().post(`/applications/${id}/approve`).set(bearer(h.tokens.approver)).expect(200)).body.position;
      }
      const get = (url: string, token: string) => (cursor?: string) => ({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}limit=1&minPosition=${position}${cursor === undefined ? '' : `&cursor=${cursor}`}`, headers: bearer(token) });
      const search = (cursor?: string) => ({ method: 'POST', url: '/rights/search', headers: json(h.tokens.auditor), payload: JSON.stringify({ limit: 1, minPosition: position, ...(cursor !== undefined && { cursor }) }) });
      const lists = {
        queue: get('/queue', h.tokens.approver),
        'institution applications': get(`/institutions/${MINISTRY}/applications`, h.tokens.representative),
        'audit log (desc)': get('/audit-log', h.tokens.auditor),
        'audit log (asc)': get('/audit-log?order=asc', h.tokens.auditor),
        'rights register': search,
      };
      for (const [name, list] of Object.entries(lists)) pages[name] = { first: () => list(), next: (cursor) => list(cursor) };
    }, 120_000);

    const LISTS = ['queue', 'institution applications', 'audit log (desc)', 'audit log (asc)', 'rights register'];

    it.each(LISTS)('%s: the cursor it issued pages on', async (name) => {
      const first = await inject(pages[name].first());
      expect(first.statusCode).toBe(200);
      expect(first.json().nextCursor).toEqual(expect.any(String));
      const second = await inject(pages[name].next(first.json().nextCursor));
      expect(second.statusCode).toBe(200);
      expect(second.json().items).toHaveLength(1);
      expect(second.json().items).not.toEqual(first.json().items);
    });

    /** A value of the wrong kind for the key's first part, per list. */
    const WRONG_FIRST_PART: Record<string, unknown[]> = {
      queue: ['yesterday', '0000-01-01 00:00:00+00', '2026-02-30 10:00:00+00', '2026-03-01T10:00:00Z'],
      'institution applications': ['yesterday', '2026-13-01 10:00:00.123+02'],
      'audit log (desc)': ['99999999999999999999', '-1', '1.5', ''],
      'audit log (asc)': ['18446744073709551616', 'abc'],
      'rights register': ['x'.repeat(201), 'Kalni\u0000ņa'],
    };

    it.each(LISTS)('%s: forged, cut, edited and borrowed cursors are 400 naming cursor', async (name) => {
      const issued: string = (await inject(pages[name].first())).json().nextCursor;
      const [list, ...key] = partsOf(issued) as string[];
      const otherList = name === 'queue' ? 'institution-applications' : 'approval-queue';
      const forged = [
        'not-a-cursor!',
        issued.slice(0, -3),
        `${issued}%00`,
        cursorOf('just a string'),
        cursorOf([list, ...key, 'one part too many']),
        cursorOf([list, ...key.slice(1)]),
        cursorOf([otherList, ...key]),
        cursorOf(key),
        cursorOf([list, ...key.map((part) => `${part}\u0000`)]),
        cursorOf([list, ...key.map(() => 7)]),
        ...WRONG_FIRST_PART[name].map((wrong) => cursorOf([list, wrong, ...key.slice(1)])),
      ];
      if (name.startsWith('audit log')) forged.push(cursorOf([name.includes('asc') ? 'audit-log-desc' : 'audit-log-asc', ...key]));
      for (const cursor of forged) {
        const problem = await refused(pages[name].next(encodeURIComponent(cursor)), 400);
        expect({ cursor, errors: fields(problem) }).toEqual({ cursor, errors: ['cursor:cursor'] });
      }
    });
  });

  describe('bodies: a JSON object in UTF-8, or 415', () => {
    it.each(['null', '42', '"a string"', '[]', 'true'])('given the JSON body %s, then 400 names body: isObject', async (payload) => {
      expect(fields(await refused({ method: 'POST', url: '/applications', headers: json(h.tokens.representative), payload }, 400))).toEqual(['body:isObject']);
    });

    it('given unparsable JSON, then 400', async () => {
      await refused({ method: 'POST', url: '/applications', headers: json(h.tokens.representative), payload: '{"kind": "new-user",' }, 400);
    });

    it.each([
      ['text/plain'],
      ['application/x-www-form-urlencoded'],
      ['multipart/form-data; boundary=x'],
      ['application/json; charset=utf-16'],
      ['application/json; charset=iso-8859-1'],
      ['application/xml'],
      ['application/octet-stream'],
      ['application/pkcs7-signature'],
    ])('given a draft sent as %s, then 415 names Content-Type', async (type) => {
      const problem = await refused({ method: 'POST', url: '/applications', headers: { ...bearer(h.tokens.representative), 'content-type': type }, payload: JSON.stringify(draftBody()) }, 415);
      expect(problem).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', errors: [expect.objectContaining({ field: 'Content-Type', rule: 'mediaType' })] });
    });

    it('given a body without a Content-Type, then 415', async () => {
      await refused({ method: 'POST', url: '/applications', headers: bearer(h.tokens.representative), payload: JSON.stringify(draftBody()) }, 415);
    });

    it('given raw signature bytes on the signature route, then they reach the verifier (422 MALFORMED, or FORMAT_UNKNOWN when sniffed), not a 415', async () => {
      const id = (await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(201)).body.applicationId;
      await h.http().put(`/applications/${id}/rights`).set(bearer(h.tokens.representative)).send(MINISTRY_USER_RIGHTS).expect(200);
      await h.http().post(`/applications/${id}/submit`).set(bearer(h.tokens.representative)).expect(200);
      // A .p7s by its type is examined as CMS; octet-stream is sniffed, and these bytes are no format at all.
      for (const [type, failure] of [['application/pkcs7-signature', 'MALFORMED'], ['application/octet-stream', 'FORMAT_UNKNOWN']]) {
        const problem = await refused({ method: 'POST', url: `/applications/${id}/signature`, headers: { ...bearer(h.tokens.representative), 'content-type': type }, payload: Buffer.from('not a signature') }, 422);
        expect(problem.failures).toContain(failure);
      }
    });
  });

  describe('correlation ids: never one shaped like a personal code', () => {
    // A person's code nobody else in this test uses: its first six digits must never reach a log line.
    const code = oldFormatPersonalCode('230370', 1, 777);
    it.each([
      ['a personal code', code, '230370'],
      ['a personal code without the hyphen', code.replace('-', ''), '230370'],
      ['one containing a personal code', `req-${code}-1`, '230370'],
      ['a new-format code with another separator', '329998.00001', '329998'],
      ['one over 64 characters', `x${'7'.repeat(64)}`, '7'.repeat(20)],
      ['one with a control character', 'zqx\u0001zqx', 'zqx'],
      ['one with spaces', 'zqx zqx', 'zqx'],
    ])('given %s, when a command runs, then a fresh id is used: not echoed, logged or stored', async (_name, given, marker) => {
      const lines = h.logLines.length;
      const res = await inject({ method: 'POST', url: '/applications', headers: json(h.tokens.representative, { 'x-correlation-id': given }), payload: JSON.stringify(draftBody()) });
      expect(res.statusCode).toBe(201);
      const fresh = res.headers['x-correlation-id'];
      expect(fresh).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const events = await h.store.readStream(`application-${res.json().applicationId}`);
      expect(events.found && events.events.map((e) => e.metadata.correlationId)).toEqual([fresh]);
      // And on a refusal, the problem's correlationId is a fresh one as well.
      const refusal = await inject({ method: 'GET', url: '/queue?limit=0', headers: { ...bearer(h.tokens.approver), 'x-correlation-id': given } });
      expect(refusal.statusCode).toBe(400);
      expect(refusal.json().correlationId).not.toBe(given);
      expect(refusal.headers['x-correlation-id']).toBe(refusal.json().correlationId);
      expect(h.logLines.slice(lines).join('\n')).not.toContain(marker);
    });

    it('given a safe id, then it is echoed and stored with the events', async () => {
      const res = await inject({ method: 'POST', url: '/applications', headers: json(h.tokens.representative, { 'x-correlation-id': 'portal.req:42_a-b' }), payload: JSON.stringify(draftBody()) });
      expect(res.headers['x-correlation-id']).toBe('portal.req:42_a-b');
      const events = await h.store.readStream(`application-${res.json().applicationId}`);
      expect(events.found && events.events[0].metadata.correlationId).toBe('portal.req:42_a-b');
    });
  });
});
