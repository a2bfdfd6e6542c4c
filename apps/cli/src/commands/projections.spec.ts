/** `projections rebuild` from the command line, on a database where no read model exists yet. */
import { openEmbeddedEventStore } from '@atlauja/event-store';
import { READ_MODELS, readCheckpoints } from '@atlauja/projections';
import { copyEmbeddedTemplate } from '../../../../libs/event-store/src/testing';
import { LogWriter } from '../../../../libs/projections/src/testing/applications';
import { writeRandomLog } from '../../../../libs/projections/src/testing/random-log';
import { captureIo } from '../../../../libs/audit/test/support/audit-env';
import { run } from './projections';

describe('projections rebuild (CLI)', () => {
  let dataDir: string;
  let remove: () => void;

  beforeAll(async () => {
    ({ dataDir, remove } = await copyEmbeddedTemplate());
  });
  afterAll(() => remove());

  it('builds every read model in a schema that does not exist yet, and their checkpoints reach the head', async () => {
    const store = await openEmbeddedEventStore(dataDir);
    await writeRandomLog(new LogWriter(store), 5, 6);
    const head = await store.headPosition();
    await store.close();

    const cli = captureIo({ EVENT_STORE: 'embedded', DATA_DIR: dataDir, READ_MODEL_SCHEMA: 'rm_new_database' });
    expect(await run(['rebuild'], cli.io)).toBe(0);
    expect(cli.out()).toMatch(/^rebuilt .* swapped in\n$/);

    const reopened = await openEmbeddedEventStore(dataDir);
    try {
      const checkpoints = await readCheckpoints(reopened.sql, 'rm_new_database');
      expect(READ_MODELS.map((p) => [p.name, checkpoints.get(p.name)?.position])).toEqual(READ_MODELS.map((p) => [p.name, head]));
      const queued = await reopened.sql.query<{ n: string }>('select count(*)::text as n from rm_new_database.audit_log');
      expect(Number(queued[0].n)).toBe(Number(head));
    } finally {
      await reopened.close();
    }
  }, 60_000);
});
