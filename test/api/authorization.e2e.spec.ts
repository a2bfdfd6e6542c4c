import { bearer, draftBody, Harness, MINISTRY_USER_RIGHTS, startHarness } from '../support/api-harness';

type Who = 'representative' | 'subordinateRepresentative' | 'approver' | 'auditor' | 'admin';
type Outcome = 'allow' | 'NOT_REPRESENTATIVE_OF_INSTITUTION' | 'ROLE_REQUIRED' | 'AUDITOR_READ_ONLY';

interface Endpoint {
  name: string;
  method: 'get' | 'post' | 'put' | 'patch';
  path: (id: string) => string;
  body?: object;
  expected: Record<Who, Outcome>;
}

const REPRESENTATIVE_ONLY: Record<Who, Outcome> = {
  representative: 'allow',
  subordinateRepresentative: 'NOT_REPRESENTATIVE_OF_INSTITUTION',
  approver: 'ROLE_REQUIRED',
  auditor: 'AUDITOR_READ_ONLY',
  admin: 'ROLE_REQUIRED',
};
const APPROVER_ONLY: Record<Who, Outcome> = {
  representative: 'ROLE_REQUIRED',
  subordinateRepresentative: 'ROLE_REQUIRED',
  approver: 'allow',
  auditor: 'AUDITOR_READ_ONLY',
  admin: 'ROLE_REQUIRED',
};
const READERS: Record<Who, Outcome> = {
  representative: 'allow',
  subordinateRepresentative: 'NOT_REPRESENTATIVE_OF_INSTITUTION',
  approver: 'allow',
  auditor: 'allow',
  admin: 'allow',
};

/** Every endpoint on an application of the ministry, as every role, from its own and another institution. */
const ENDPOINTS: Endpoint[] = [
  { name: 'draft', method: 'post', path: () => '/applications', body: draftBody(), expected: REPRESENTATIVE_ONLY },
  { name: 'edit', method: 'patch', path: (id) => `/applications/${id}`, body: { justification: 'Updated.' }, expected: REPRESENTATIVE_ONLY },
  { name: 'set rights', method: 'put', path: (id) => `/applications/${id}/rights`, body: MINISTRY_USER_RIGHTS, expected: REPRESENTATIVE_ONLY },
  { name: 'submit', method: 'post', path: (id) => `/applications/${id}/submit`, expected: REPRESENTATIVE_ONLY },
  { name: 'document', method: 'get', path: (id) => `/applications/${id}/document`, expected: { ...REPRESENTATIVE_ONLY } },
  { name: 'sign', method: 'post', path: (id) => `/applications/${id}/signature`, body: { signature: 'AAAA' }, expected: REPRESENTATIVE_ONLY },
  { name: 'withdraw', method: 'post', path: (id) => `/applications/${id}/withdraw`, body: {}, expected: REPRESENTATIVE_ONLY },
  { name: 'revoke', method: 'post', path: (id) => `/applications/${id}/revoke`, body: { reason: 'r', confirmed: true }, expected: REPRESENTATIVE_ONLY },
  { name: 'claim', method: 'post', path: (id) => `/applications/${id}/claim`, expected: APPROVER_ONLY },
  { name: 'release', method: 'post', path: (id) => `/applications/${id}/release`, expected: APPROVER_ONLY },
  { name: 'approve', method: 'post', path: (id) => `/applications/${id}/approve`, expected: APPROVER_ONLY },
  { name: 'reject', method: 'post', path: (id) => `/applications/${id}/reject`, body: { reason: 'r' }, expected: APPROVER_ONLY },
  { name: 'read', method: 'get', path: (id) => `/applications/${id}`, expected: READERS },
  { name: 'events', method: 'get', path: (id) => `/applications/${id}/events`, expected: READERS },
];

describe('the authorization matrix: every role x every endpoint x own / other institution', () => {
  let h: Harness;
  let id: string;
  beforeAll(async () => {
    h = await startHarness();
    // A draft of the ministry: the denials come before any state rule, so one state serves every row.
    id = (await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(201)).body.applicationId;
  });
  afterAll(() => h.close());

  const rows = ENDPOINTS.flatMap((e) => (Object.keys(e.expected) as Who[]).map((who) => [e.name, who, e.expected[who], e] as const));

  it.each(rows)('%s as %s: %s', async (_name, who, outcome, endpoint) => {
    const res = await h.http()[endpoint.method](endpoint.path(id)).set(bearer(h.tokens[who])).send(endpoint.body ?? {});
    if (outcome === 'allow') {
      expect([401, 403]).not.toContain(res.status);
    } else {
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ status: 403, code: outcome });
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it.each(ENDPOINTS.map((e) => [e.name, e] as const))('%s without a token: 401', async (_name, endpoint) => {
    const res = await h.http()[endpoint.method](endpoint.path(id)).send(endpoint.body ?? {});
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
  });

  it('a forged token is 401, and the token never comes back in the body', async () => {
    const forged = h.tokens.approver.slice(0, -4) + 'AAAA';
    const res = await h.http().get(`/applications/${id}`).set(bearer(forged)).expect(401);
    expect(JSON.stringify(res.body)).not.toContain(forged);
  });
});
