/**
 * A time changed in the database is a named finding (TIME_INVALID), never a crash of `audit verify`:
 * the envelope's occurredAt set to garbage, `...At` fields of the data set to garbage or to a
 * number with the hash chain recomputed (so the chain alone cannot see it), the evidence's
 * checkedAt, and recorded_at (outside the record: the store never reads it). With live read models
 * beside the store, their replay meets the same events and says so instead of throwing. The CLI
 * exits 1 naming them; a period selection still picks the streams whose times cannot be read; a
 * bundle exported from them, and one whose lines were damaged, verifies without a crash.
 * On PGlite, and on PostgreSQL when DATABASE_URL is set.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { eventHash, type RecordedEvent, type SqlExecutor } from '@atlauja/event-store';
import { ensureReadModels, READ_MODELS, rebuildReadModels } from '@atlauja/projections';
import { actorIdOf, checkTransitions, loadTrustHistory, stateAt, verifyBundle, verifyStore, PointInTimeError, type Finding } from '@atlauja/audit';
import { run } from '../../../apps/cli/src/commands/audit';
import { testPki } from '../../signatures/src/testing/test-pki';
import { DATABASE_URL, captureIo, embeddedStore, postgresStore, trustFolders, type StoreUnderTest } from './support/audit-env';
import { appendHistory, signedApplication } from './support/signed-application';
import { checkTimes } from '../src/time-check';

const subjects: [string, () => Promise<StoreUnderTest>][] = [['PGlite', embeddedStore]];
if (DATABASE_URL) subjects.push(['PostgreSQL', () => postgresStore(DATABASE_URL as string)]);
else console.info('tampered times on PostgreSQL: skipped, DATABASE_URL is unset');

/** Changes one event's data and recomputes the chain from it on, as someone who knows the hash function could. */
async function rewriteWithChain(sql: SqlExecutor, table: string, stream: string, revision: number, change: (data: Record<string, any>) => void): Promise<void> {
  const rows = await sql.query<{ revision: string; type: string; data: Record<string, any>; metadata: Record<string, unknown>; prev_hash: string }>(
    `select revision::text as revision, type, data, metadata, prev_hash from ${table} where stream = $1 order by revision`,
    [stream],
  );
  let prevHash = rows[revision].prev_hash;
  for (const row of rows.slice(revision)) {
    if (Number(row.revision) === revision) change(row.data);
    const metadata = { ...row.metadata, prevHash };
    const hash = eventHash({ prevHash, stream, revision: BigInt(row.revision), type: row.type, data: row.data, metadata: metadata as never });
    await sql.query(`update ${table} set data = $3::jsonb, prev_hash = $4, hash = $5 where stream = $1 and revision = $2`, [stream, row.revision, JSON.stringify(row.data), prevHash, hash]);
    prevHash = hash;
  }
}

describe.each(subjects)('tampered times (%s)', (_name, open) => {
  const pki = testPki();
  const apps = {
    occurredAt: signedApplication(pki, pki.ec, 'times-occurred-at'),
    signedAt: signedApplication(pki, pki.ec, 'times-signed-at'),
    approvedAt: signedApplication(pki, pki.rsa, 'times-approved-at'),
    checkedAt: signedApplication(pki, pki.rsa, 'times-checked-at'),
    untouched: signedApplication(pki, pki.ec, 'times-untouched'),
  };
  const readModelSchema = `rm_${randomBytes(4).toString('hex')}`;
  let subject: StoreUnderTest;
  let trust: ReturnType<typeof trustFolders>;
  let bundles: string;
  const history = () => loadTrustHistory({ trustedCaDir: trust.env.TRUSTED_CA_DIR, crlDir: trust.env.CRL_DIR }).history;
  const byStream = (failures: readonly Finding[], stream: string) => failures.filter((f) => f.stream === stream).map((f) => `${f.kind} ${f.code}@${f.revision}`);

  beforeAll(async () => {
    subject = await open();
    trust = trustFolders([pki.ec, pki.rsa]);
    bundles = mkdtempSync(join(tmpdir(), 'atlauja-times-bundle-'));
    for (const app of Object.values(apps)) await appendHistory(subject.store, app.stream, app.events);
    // Given live read models beside the store, built from the intact log.
    await ensureReadModels(subject.store.sql, readModelSchema, READ_MODELS);
    await rebuildReadModels({ store: subject.store, sql: subject.store.sql, projections: READ_MODELS, schema: readModelSchema });

    const { table: t } = subject;
    const sql = subject.store.sql;
    // When the envelope's time is set to garbage (the chain left as it was),
    await sql.query(`update ${t} set metadata = jsonb_set(metadata, '{occurredAt}', '"garbage"') where stream = $1 and revision = 2`, [apps.occurredAt.stream]);
    // data times are set to garbage, to a number and to an impossible day with the chain recomputed,
    await rewriteWithChain(sql, t, apps.signedAt.stream, 3, (data) => (data.signedAt = 'yesterday'));
    await rewriteWithChain(sql, t, apps.approvedAt.stream, 5, (data) => (data.approvedAt = 12));
    await rewriteWithChain(sql, t, apps.checkedAt.stream, 3, (data) => (data.evidence.verdict.evidence.checkedAt = '2026-02-30T10:00:00Z'));
    // and the time the database recorded the row is moved (a column outside the record).
    await sql.query(`update ${t} set recorded_at = '1901-01-01T00:00:00Z' where stream = $1`, [apps.untouched.stream]);
  }, 120_000);
  afterAll(async () => {
    await subject?.store.sql.query(`drop schema if exists ${readModelSchema} cascade`).catch(() => undefined);
    await subject?.dispose();
    trust?.remove();
    rmSync(bundles, { recursive: true, force: true });
  });

  it('then audit verify names every unreadable time by stream, revision and field, and does not crash', async () => {
    const report = await verifyStore(subject.store, { trust: history() });
    expect(byStream(report.failures, apps.occurredAt.stream)).toEqual(expect.arrayContaining(['chain HASH_MISMATCH@2', 'schema TIME_INVALID@2']));
    expect(report.failures.find((f) => f.stream === apps.occurredAt.stream && f.code === 'TIME_INVALID')?.message).toMatch(/^metadata\.occurredAt is not a readable instant/);
    // The recomputed chain hides the change from the hashes; the time check does not depend on them.
    expect(byStream(report.failures, apps.signedAt.stream)).toEqual(['schema TIME_INVALID@3']);
    expect(report.failures.find((f) => f.stream === apps.signedAt.stream)?.message).toMatch(/^data\.signedAt /);
    expect(byStream(report.failures, apps.approvedAt.stream)).toEqual(['schema TIME_INVALID@5']);
    expect(byStream(report.failures, apps.checkedAt.stream)).toEqual(expect.arrayContaining(['schema TIME_INVALID@3']));
    expect(report.failures.find((f) => f.stream === apps.checkedAt.stream && f.code === 'TIME_INVALID')?.message).toMatch(/^data\.evidence\.verdict\.evidence\.checkedAt /);
    // recorded_at is no part of the record (not read, not hashed): the untouched stream stays clean.
    expect(byStream(report.failures, apps.untouched.stream)).toEqual([]);
    // No finding quotes the garbage or a personal code.
    expect(JSON.stringify(report.failures)).not.toMatch(/yesterday|garbage|\b\d{6}-\d{5}\b/);
  });

  it('then the CLI exits 1 naming them, with the read models replayed as far as they go', async () => {
    await subject.release();
    const io = captureIo({ ...subject.env, ...trust.env, READ_MODEL_SCHEMA: readModelSchema });
    expect(await run(['verify'], io.io)).toBe(1);
    expect(io.out()).toContain('5 stream(s)');
    expect(io.out()).toContain('TIME_INVALID');
    expect(io.out()).toContain('READ_MODEL_REPLAY_FAILED');
    expect(io.out()).not.toMatch(/\b\d{6}-\d{5}\b/);
  });

  it('then a period selection still picks a stream whose time cannot be read (it may be in any period)', async () => {
    const io = captureIo({ ...subject.env, ...trust.env });
    expect(await run(['verify', '--from', '2001-01-01T00:00:00Z', '--to', '2001-01-02T00:00:00Z'], io.io)).toBe(1);
    expect(io.out()).toContain('1 stream(s)');
    expect(io.out()).toContain(`${apps.occurredAt.stream} @2`);
  });

  it('then a bundle of them verifies offline naming the time, and a damaged bundle is findings, not a crash', async () => {
    const dir = join(bundles, 'signed-at');
    const exported = captureIo({ ...subject.env, ...trust.env });
    expect(await run(['export', '--out', dir, '--stream', apps.signedAt.stream], exported.io)).toBe(0);
    expect(verifyBundle(dir).failures.map((f) => f.code)).toContain('TIME_INVALID');
    writeFileSync(join(dir, 'events.jsonl'), `${readFileSync(join(dir, 'events.jsonl'), 'utf8')}{"not":"an event"}\nnot json at all\n`);
    const damaged = verifyBundle(dir).failures.map((f) => f.code);
    expect(damaged).toEqual(expect.arrayContaining(['EVENT_MALFORMED', 'FILE_HASH_MISMATCH', 'TIME_INVALID']));
    writeFileSync(join(dir, 'manifest.json'), '{"format": ');
    expect(verifyBundle(dir).failures.map((f) => f.code)).toEqual(expect.arrayContaining(['MANIFEST_MALFORMED']));
  });
});

describe('every time a stored event records is read totally', () => {
  const pki = testPki();
  const app = signedApplication(pki, pki.ec, 'times-unit');
  const recordedWith = (change: (events: RecordedEvent[]) => void): RecordedEvent[] => {
    const events = app.events.map((e, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, stream: app.stream, revision: BigInt(i), position: BigInt(i + 1), type: e.type,
      data: JSON.parse(JSON.stringify(e.data)), metadata: { actor: actorIdOf(e) ?? 'unknown', occurredAt: `2026-03-0${i + 1}T10:00:00Z`, schemaVersion: 1, prevHash: '', hash: '' },
    })) as RecordedEvent[];
    change(events);
    return events;
  };

  it('names dates that are no days (a term, a deadline) and times of the wrong type, by their path', () => {
    const events = recordedWith((e) => {
      (e[0].data as any).term = { kind: 'until', date: '2026-13-01' };
      (e[1].data as any).setAt = { nested: true };
      (e[2].metadata as any).occurredAt = undefined;
      (e[4].data as any).deadline = 'soon';
    });
    expect(checkTimes(app.stream, events).map((f) => `${f.code}@${f.revision} ${f.message.split(' ')[0]}`)).toEqual([
      'TIME_INVALID@0 data.term.date',
      'TIME_INVALID@1 data.setAt',
      'TIME_INVALID@2 metadata.occurredAt',
      'TIME_INVALID@4 data.deadline',
    ]);
  });

  it('the replay of a stream whose data the domain cannot read stops with REPLAY_FAILED instead of throwing', () => {
    const events = recordedWith((e) => ((e[1].data as any).rights = null));
    const findings = checkTransitions(app.stream, events);
    expect(findings.map((f) => f.code)).toEqual(['REPLAY_FAILED']);
    expect(findings[0].message).toMatch(/the replay of this stream stops here$/);
  });

  it('the state at an instant, over an event whose time cannot be read, is refused by name: EVENT_TIME_INVALID', () => {
    const events = recordedWith((e) => ((e[1].metadata as any).occurredAt = 'garbage'));
    expect(() => stateAt(events, { at: '2026-03-10T00:00:00Z' })).toThrow(expect.objectContaining({ code: 'EVENT_TIME_INVALID' }) as unknown as PointInTimeError);
    // Before the first event, the unreadable one is never reached: the answer stands.
    expect(stateAt(events, { at: '2026-03-01T09:00:00Z' }).revision).toBeNull();
    expect(stateAt(events, { revision: '3' }).state.status).toBe('signed');
  });
});
