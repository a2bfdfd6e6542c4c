/** The embedded database's stand-in for autovacuum: what it vacuums, what it only analyzes, and when it leaves tables alone. */
import { maintainEmbedded, openEmbeddedEventStore, type PostgresEventStore } from '@atlauja/event-store';
import { copyEmbeddedTemplate } from '../src/testing';
import { assertPgliteLoadableUnderJest } from './subjects';

beforeAll(() => assertPgliteLoadableUnderJest());

describe('embedded maintenance (autovacuum rule on PGlite)', () => {
  let store: PostgresEventStore;
  let remove: () => void;

  beforeAll(async () => {
    let dataDir: string;
    ({ dataDir, remove } = await copyEmbeddedTemplate());
    store = await openEmbeddedEventStore(dataDir);
  }, 60_000);
  afterAll(async () => {
    await store.close();
    remove();
  });

  const stats = async (table: string) =>
    (await store.sql.query<{ dead: string; vacuums: string; analyses: string }>(
      `select n_dead_tup::text as dead, vacuum_count::text as vacuums, analyze_count::text as analyses from pg_stat_user_tables where schemaname = 'upkeep' and relname = $1`,
      [table],
    ))[0];

  it('vacuums a table whose updates left dead rows past the threshold, analyzes one only inserted into, and then has nothing to do', async () => {
    await store.sql.query('create schema upkeep');
    await store.sql.query('create table upkeep.queue (id int primary key, status text)');
    await store.sql.query('create index on upkeep.queue (id) where status = \'pending\'');
    await store.sql.query('create table upkeep.log (id int primary key)');
    await store.sql.query("insert into upkeep.queue select g, 'pending' from generate_series(1, 2000) g");
    await store.sql.query('insert into upkeep.log select g from generate_series(1, 2000) g');
    await store.sql.query("update upkeep.queue set status = 'delivered' where id <= 1500");

    const first = await maintainEmbedded(store.sql);
    expect(first.vacuumed).toContain('upkeep.queue');
    expect(first.analyzed).toContain('upkeep.log');
    expect(first.vacuumed).not.toContain('upkeep.log');
    await store.sql.query('select pg_stat_force_next_flush()');
    expect(await stats('queue')).toEqual({ dead: '0', vacuums: '1', analyses: '1' });
    expect(await stats('log')).toMatchObject({ vacuums: '0', analyses: '1' });

    // Below the thresholds (50 + 20 % / 10 % of the rows): left alone.
    await store.sql.query("update upkeep.queue set status = 'pending' where id <= 40");
    const second = await maintainEmbedded(store.sql);
    expect([...second.vacuumed, ...second.analyzed].filter((name) => name.startsWith('upkeep.'))).toEqual([]);
  });
});
