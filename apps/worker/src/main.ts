/**
 * The worker of server mode: the projection runner alone, no HTTP. One per projection group (today
 * one group: every read model). Two workers by mistake are safe (each batch takes its projection's
 * checkpoint lock and skips what is already applied), only wasteful.
 *
 * Stops on SIGTERM/SIGINT after the batch in flight. In local mode the api runs the projections
 * itself; this process is not needed (and could not open the api's PGlite data directory).
 */
import { join } from 'node:path';
import pino from 'pino';
import { createEventStore, createPgDriver, PostgresEventStore, type SqlDriver } from '@atlauja/event-store';
import { FileNoticeDelivery, ProcessExecutor, ProjectionRunner, READ_MODELS } from '@atlauja/projections';
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

  // No requests share this process: batches may hold the connection longer than the api's 50 ms.
  const runner = new ProjectionRunner({ store, sql, schema: config.readModelSchema, projections: READ_MODELS, logger, batchTimeMs: 1000 });
  await runner.start();
  logger.info({ projections: READ_MODELS.map((p) => p.name), schema: config.readModelSchema, store: config.store.kind }, 'projection runner started');

  // Issue 8: the rights-over-time process (supersede, expiry, notices) beside the projections it reads:
  // once at start (catching up after downtime), then every EXPIRY_INTERVAL_SECONDS (0: never).
  const expiryEveryMs = Number(process.env.EXPIRY_INTERVAL_SECONDS ?? '60') * 1000;
  const executor = new ProcessExecutor({
    store,
    sql,
    schema: config.readModelSchema,
    progress: runner,
    delivery: new FileNoticeDelivery(join(process.env.DATA_DIR ?? './data', 'notices.jsonl')),
  });
  const tick = (): void => {
    executor.tick(new Date()).then(
      (result) => logger.info({ ...result }, 'rights-over-time tick'),
      (error: Error) => logger.warn({ error: error.message }, 'rights-over-time tick failed'),
    );
  };
  let expiryTimer: NodeJS.Timeout | null = null;
  if (Number.isFinite(expiryEveryMs) && expiryEveryMs > 0) {
    tick();
    expiryTimer = setInterval(tick, expiryEveryMs);
  }

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
    if (expiryTimer) clearInterval(expiryTimer);
    logger.info({ signal }, 'stopping after the batch in flight');
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
