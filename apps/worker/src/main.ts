/**
 * The worker of server mode: the projection runner and the processes (the reactor that carries out
 * consequences on other streams, the rights-over-time executor, the registry's timers), no HTTP.
 * Two workers by mistake are safe (each batch takes its projection's checkpoint lock and skips what
 * is already applied; every process step is a keyed or refused-when-done command), only wasteful.
 *
 * Stops on SIGTERM/SIGINT after the batch in flight. In local mode the api runs the projections
 * itself; this process is not needed (and could not open the api's PGlite data directory).
 */
import { join } from 'node:path';
import pino from 'pino';
import { createEventStore, createPgDriver, PostgresEventStore, type SqlDriver } from '@atlauja/event-store';
import { Pseudonyms } from '@atlauja/commands';
import { Processes } from '@atlauja/processes';
import { FileNoticeDelivery, ProjectionRunner, READ_MODELS } from '@atlauja/projections';
import { loadWorkerConfig } from './worker-config';

const STATUS_EVERY_MS = 60_000;

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = pino({ level: config.logLevel, base: { service: 'atlauja-worker' } });
  const store = await createEventStore(config.store);
  let sql: SqlDriver;
  if (config.readDatabaseUrl) sql = createPgDriver({ connectionString: config.readDatabaseUrl, connectionTimeoutMs: 5000 });
  else if (store instanceof PostgresEventStore) sql = store.sql;
  else throw new Error('READ_DATABASE_URL is required when the event store is not PostgreSQL');

  const runner = new ProjectionRunner({ store, sql, schema: config.readModelSchema, projections: READ_MODELS, logger });
  await runner.start();
  logger.info({ projections: READ_MODELS.map((p) => p.name), schema: config.readModelSchema, store: config.store.kind }, 'projection runner started');

  const processes = new Processes({
    store,
    sql,
    schema: config.readModelSchema,
    progress: runner,
    clock: { now: () => new Date() },
    pseudonyms: process.env.PSEUDONYM_KEY ? Pseudonyms.fromHex(process.env.PSEUDONYM_KEY) : Pseudonyms.inDirectory(join(process.env.DATA_DIR ?? './data', 'auth')),
    delivery: new FileNoticeDelivery(join(process.env.DATA_DIR ?? './data', 'notices.jsonl')),
    expiryIntervalSeconds: Number(process.env.EXPIRY_INTERVAL_SECONDS ?? '60'),
    registryTimerSeconds: Number(process.env.REGISTRY_TIMER_SECONDS ?? '60'),
    logger,
  });
  await processes.start();
  logger.info('processes started: reactor, rights over time, registry timers');

  const report = setInterval(() => {
    runner.status().then(
      (projections) => logger.info({ projections }, 'projection status'),
      (error: Error) => logger.warn({ error: error.message }, 'projection status unavailable'),
    );
  }, STATUS_EVERY_MS);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(report);
    logger.info({ signal }, 'stopping after the batch in flight');
    await processes.stop();
    await runner.stop();
    if (config.readDatabaseUrl) await sql.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
