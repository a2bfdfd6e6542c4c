/**
 * `audit verify` replays the log into a scratch database and compares every read model with the
 * live one: an intact model passes, a row changed behind the projections' back is named.
 */
import { ensureReadModels, READ_MODELS, rebuildReadModels } from '@atlauja/projections';
import { readModelComparisons } from '../../../apps/cli/src/commands/audit';
import { testPki } from '../../signatures/src/testing/test-pki';
import { embeddedStore, type StoreUnderTest } from './support/audit-env';
import { appendHistory, signedApplication } from './support/signed-application';

describe('read models against a replay of the log', () => {
  const pki = testPki();
  let subject: StoreUnderTest;

  beforeAll(async () => {
    subject = await embeddedStore();
    for (const [i, chain] of [pki.ec, pki.rsa, pki.ec].entries()) {
      const app = signedApplication(pki, chain, `read-model-${i}`);
      await appendHistory(subject.store, app.stream, app.events);
    }
    await ensureReadModels(subject.store.sql, 'read_models', READ_MODELS);
    await rebuildReadModels({ store: subject.store, sql: subject.store.sql, projections: READ_MODELS });
  });
  afterAll(() => subject?.dispose());

  async function findings() {
    const comparisons = await readModelComparisons(subject.store.sql, 'read_models');
    expect(comparisons).toHaveLength(1);
    return (await Promise.all(comparisons.map((c) => c.compare(subject.store)))).flat();
  }

  it('finds every live read model equal to the replay', async () => {
    expect(await findings()).toEqual([]);
  });

  it('names the model whose rows were changed in the database', async () => {
    await subject.store.sql.query(`delete from read_models.audit_log where ctid in (select ctid from read_models.audit_log limit 1)`);
    const found = await findings();
    expect(found).toEqual([expect.objectContaining({ kind: 'read-model', code: 'READ_MODEL_DIFFERS', message: expect.stringMatching(/^audit_log\.audit_log/) })]);
  });

  it('compares nothing where no read models live beside the store', async () => {
    await subject.store.sql.query('drop schema read_models cascade');
    expect(await readModelComparisons(subject.store.sql, 'read_models')).toEqual([]);
  });
});
