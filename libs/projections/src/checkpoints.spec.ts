import { openPgliteDriver, type SqlDriver } from '@atlauja/event-store';
import { ensureReadModels } from './checkpoints';
import { READ_MODELS } from './read-models';

/** The driver, counting the statements sent through it (a transaction's own included). */
function counting(driver: SqlDriver): { driver: SqlDriver; sent: () => number } {
  let sent = 0;
  const counted: SqlDriver = {
    query: (sql, params) => { sent += 1; return driver.query(sql, params); },
    transaction: (work) => driver.transaction((tx) => work({ query: (sql, params) => { sent += 1; return tx.query(sql, params); } })),
    close: () => driver.close(),
  };
  return { driver: counted, sent: () => sent };
}

describe('ensureReadModels', () => {
  let raw: SqlDriver;
  beforeAll(async () => {
    raw = await openPgliteDriver(':memory:');
  });
  afterAll(async () => {
    await raw.close();
  });

  it('creates the read models once; a start that finds them current sends one read; a table gone is made again', async () => {
    const { driver, sent } = counting(raw);
    await ensureReadModels(driver, 'rm_ensure', READ_MODELS);
    const [table] = READ_MODELS[0].tables;
    expect(await driver.query(`select name from rm_ensure.projection_checkpoints order by name`)).toHaveLength(READ_MODELS.length);

    const before = sent();
    await ensureReadModels(driver, 'rm_ensure', READ_MODELS);
    expect(sent() - before).toBe(1);

    await driver.query(`drop table rm_ensure.${table} cascade`);
    await ensureReadModels(driver, 'rm_ensure', READ_MODELS);
    const [{ found }] = await driver.query<{ found: boolean }>(`select to_regclass('rm_ensure.${table}') is not null as found`);
    expect(found).toBe(true);
  });

  it('runs the statements again for another set of projections on the same schema', async () => {
    const [first, ...others] = READ_MODELS;
    await ensureReadModels(raw, 'rm_subset', [first]);
    await ensureReadModels(raw, 'rm_subset', others);
    for (const projection of others) {
      for (const table of projection.tables) {
        const [{ found }] = await raw.query<{ found: boolean }>(`select to_regclass('rm_subset.${table}') is not null as found`);
        expect([table, found]).toEqual([table, true]);
      }
    }
  });
});
