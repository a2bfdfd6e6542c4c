/**
 * `audit verify` where the read models live in their own database (READ_DATABASE_URL) under a
 * schema of their own (READ_MODEL_SCHEMA), as a server deployment keeps them: the CLI finds them
 * through the configuration, as the api and the worker do, compares each with a replay of the log,
 * and names a row changed there behind the projections' back.
 */
import { createPgDriver, openEmbeddedEventStore } from '@atlauja/event-store';
import { READ_MODELS } from '@atlauja/projections';
import { copyEmbeddedTemplate } from '../../../../libs/event-store/src/testing';
import { LogWriter } from '../../../../libs/projections/src/testing/applications';
import { DATABASE_URL, uniqueName } from '../../../../libs/projections/src/testing/databases';
import { writeRandomLog } from '../../../../libs/projections/src/testing/random-log';
import { captureIo } from '../../../../libs/audit/test/support/audit-env';
import { run as audit } from './audit';
import { run as projections } from './projections';

(DATABASE_URL ? describe : describe.skip)('audit verify with the read models in their own database', () => {
  const schema = uniqueName('rm_audit_cli');
  const readModels = createPgDriver({ connectionString: DATABASE_URL ?? '', connectionTimeoutMs: 5000 });
  let env: Record<string, string>;
  let remove: () => void;

  beforeAll(async () => {
    const copy = await copyEmbeddedTemplate();
    remove = copy.remove;
    const store = await openEmbeddedEventStore(copy.dataDir);
    await writeRandomLog(new LogWriter(store), 4, 5);
    await store.close();
    env = { EVENT_STORE: 'embedded', DATA_DIR: copy.dataDir, READ_DATABASE_URL: DATABASE_URL!, READ_MODEL_SCHEMA: schema };
    // The read models built where the configuration puts them.
    expect(await projections(['rebuild'], captureIo(env).io)).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await readModels.query(`drop schema if exists ${schema} cascade`);
    await readModels.close();
    remove();
  });

  /** The report's read-model part (the random log's signed events keep no evidence: those findings are not this test's). */
  async function verified(): Promise<{ compared: string[]; findings: { code: string; message: string }[] }> {
    const cli = captureIo(env);
    await audit(['verify', '--json'], cli.io);
    const report = JSON.parse(cli.out()) as { readModelsCompared: string[]; failures: { kind: string; code: string; message: string }[] };
    return { compared: report.readModelsCompared, findings: report.failures.filter((f) => f.kind === 'read-model').map(({ code, message }) => ({ code, message })) };
  }

  it('compares every read model there with the replay, and finds them equal', async () => {
    expect(await verified()).toEqual({ compared: [READ_MODELS.map((p) => p.name).join(', ')], findings: [] });
  }, 120_000);

  it('names the read model whose row was changed in that database', async () => {
    await readModels.query(`delete from ${schema}.audit_log where ctid in (select ctid from ${schema}.audit_log limit 1)`);
    expect((await verified()).findings).toEqual([{ code: 'READ_MODEL_DIFFERS', message: expect.stringMatching(/^audit_log\.audit_log/) }]);
  }, 120_000);
});
