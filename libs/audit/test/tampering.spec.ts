/**
 * Tampering written straight into the event table, as someone with database access could: one
 * byte changed, an event deleted, two events swapped, an event's id replaced, and an illegal
 * transition inserted with a hash chain recomputed so that the chain alone cannot see it. `audit verify` names each, and the
 * CLI exits non-zero. Runs on PGlite, and on PostgreSQL too when DATABASE_URL is set.
 */
import { APPLICATION_EVENT_SCHEMA_VERSION, type ApplicationEvent } from '@atlauja/domain';
import { eventHash } from '@atlauja/event-store';
import { loadTrustHistory, verifyStore, type Finding } from '@atlauja/audit';
import { run } from '../../../apps/cli/src/commands/audit';
import { testPki } from '../../signatures/src/testing/test-pki';
import { DATABASE_URL, captureIo, embeddedStore, postgresStore, trustFolders, type StoreUnderTest } from './support/audit-env';
import { APPROVER, appendHistory, signedApplication } from './support/signed-application';

const subjects: [string, () => Promise<StoreUnderTest>][] = [['PGlite', embeddedStore]];
if (DATABASE_URL) subjects.push(['PostgreSQL', () => postgresStore(DATABASE_URL as string)]);
else console.info('tampering on PostgreSQL: skipped, DATABASE_URL is unset');

describe.each(subjects)('tampering in the database (%s)', (_name, open) => {
  const pki = testPki();
  const apps = {
    byteChanged: signedApplication(pki, pki.ec, 'tamper-byte'),
    deleted: signedApplication(pki, pki.ec, 'tamper-deleted'),
    swapped: signedApplication(pki, pki.rsa, 'tamper-swapped'),
    illegal: signedApplication(pki, pki.ec, 'tamper-illegal', { stopAfterSign: true }),
    idChanged: signedApplication(pki, pki.rsa, 'tamper-id'),
    untouched: signedApplication(pki, pki.rsa, 'untouched'),
  };
  let subject: StoreUnderTest;
  let trust: ReturnType<typeof trustFolders>;

  beforeAll(async () => {
    subject = await open();
    trust = trustFolders([pki.ec, pki.rsa]);
    for (const app of Object.values(apps)) await appendHistory(subject.store, app.stream, app.events);
  });
  afterAll(async () => {
    await subject?.dispose();
    trust?.remove();
  });

  const byStream = (failures: readonly Finding[], stream: string) => failures.filter((f) => f.stream === stream).map((f) => `${f.kind} ${f.code}@${f.revision}`);

  it('an intact store verifies clean: every chain, transition and signature', async () => {
    const report = await verifyStore(subject.store, { trust: loadTrustHistory({ trustedCaDir: trust.env.TRUSTED_CA_DIR, crlDir: trust.env.CRL_DIR }).history });
    expect(report).toMatchObject({ streams: 6, events: 34, signatures: { checked: 6, valid: 6 }, failures: [] });
  });

  it('names every tampering, and the CLI exits 1', async () => {
    const sql = subject.store.sql;
    const t = subject.table;
    // One byte of the first event: "estimate" becomes "estimatf".
    await sql.query(`update ${t} set data = replace(data::text, 'estimate', 'estimatf')::jsonb where stream = $1 and revision = 0`, [apps.byteChanged.stream]);
    // The submission removed.
    await sql.query(`delete from ${t} where stream = $1 and revision = 2`, [apps.deleted.stream]);
    // Claim and approval swapped (through a free revision: (stream, revision) is unique).
    await sql.query(`update ${t} set revision = 1000 where stream = $1 and revision = 4`, [apps.swapped.stream]);
    await sql.query(`update ${t} set revision = 4 where stream = $1 and revision = 5`, [apps.swapped.stream]);
    await sql.query(`update ${t} set revision = 5 where stream = $1 and revision = 1000`, [apps.swapped.stream]);
    // The rights' event given another id: the id column is not what its hashed metadata records.
    await sql.query(`update ${t} set id = gen_random_uuid() where stream = $1 and revision = 1`, [apps.idChanged.stream]);
    // An approval without a claim, chained properly onto the signature.
    const [tip] = await sql.query<{ hash: string }>(`select hash from ${t} where stream = $1 and revision = 3`, [apps.illegal.stream]);
    const approval: ApplicationEvent = { type: 'ApplicationApproved', data: { approvedBy: APPROVER.id, approvedAt: '2030-01-01T00:00:00Z', kind: 'new-user' } };
    const metadata = { actor: APPROVER.id, occurredAt: '2030-01-01T00:00:00Z', schemaVersion: APPLICATION_EVENT_SCHEMA_VERSION.ApplicationApproved, prevHash: tip.hash };
    const hash = eventHash({ prevHash: tip.hash, stream: apps.illegal.stream, revision: 4n, type: approval.type, data: approval.data, metadata });
    await sql.query(
      `insert into ${t} (stream, revision, id, type, data, metadata, prev_hash, hash) values ($1, 4, gen_random_uuid(), $2, $3::jsonb, $4::jsonb, $5, $6)`,
      [apps.illegal.stream, approval.type, JSON.stringify(approval.data), JSON.stringify({ ...metadata, hash }), tip.hash, hash],
    );

    const report = await verifyStore(subject.store, { trust: loadTrustHistory({ trustedCaDir: trust.env.TRUSTED_CA_DIR, crlDir: trust.env.CRL_DIR }).history });
    expect(byStream(report.failures, apps.byteChanged.stream)).toEqual(expect.arrayContaining(['chain HASH_MISMATCH@0', 'signature DOCUMENT_MISMATCH@3']));
    expect(byStream(report.failures, apps.deleted.stream)).toEqual(expect.arrayContaining(['chain REVISION_GAP@3', 'chain CHAIN_BROKEN@3', 'transition TRANSITION_NOT_ALLOWED@3']));
    expect(byStream(report.failures, apps.swapped.stream)).toEqual(
      expect.arrayContaining(['chain HASH_MISMATCH@4', 'chain HASH_MISMATCH@5', 'chain CHAIN_BROKEN@4', 'transition CLAIM_NOT_HELD@4', 'transition TRANSITION_NOT_ALLOWED@5']),
    );
    // The recomputed chain hides the insertion from the hashes; the machine still refuses it.
    expect(byStream(report.failures, apps.illegal.stream)).toEqual(['transition CLAIM_NOT_HELD@4']);
    expect(report.failures.find((f) => f.stream === apps.illegal.stream)).toMatchObject({ rule: 'actorHoldsClaim', type: 'ApplicationApproved' });
    expect(byStream(report.failures, apps.idChanged.stream)).toEqual(['chain EVENT_ID_MISMATCH@1']);
    expect(report.failures.find((f) => f.stream === apps.idChanged.stream)).toMatchObject({ type: 'RightsSet' });
    expect(byStream(report.failures, apps.untouched.stream)).toEqual([]);

    await subject.release();
    const all = captureIo({ ...subject.env, ...trust.env });
    expect(await run(['verify'], all.io)).toBe(1);
    expect(all.out()).toContain('6 stream(s)');
    for (const code of ['HASH_MISMATCH', 'REVISION_GAP', 'CHAIN_BROKEN', 'CLAIM_NOT_HELD', 'EVENT_ID_MISMATCH']) expect(all.out()).toContain(code);
    // Findings never carry a personal code.
    expect(all.out()).not.toMatch(/\b\d{6}-\d{5}\b/);

    const clean = captureIo({ ...subject.env, ...trust.env });
    expect(await run(['verify', '--stream', apps.untouched.stream], clean.io)).toBe(0);
    expect(clean.out()).toContain('1 stream(s), 6 event(s), 1 signature(s) (1 valid), 0 failure(s)');
  });
});
