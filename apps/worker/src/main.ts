/**
 * The worker of server mode: the projection runner and the processes (the reactor that carries out
 * consequences on other streams, the rights-over-time executor, the registry's timers), no api.
 * Two workers by mistake are safe (each batch takes its projection's checkpoint lock and skips what
 * is already applied; every process step is a keyed or refused-when-done command), only wasteful.
 *
 * It answers its orchestrator on WORKER_HOST:WORKER_PORT: /health, /ready (store, read-model database,
 * projections) and /metrics. Its logs go through the same personal-code mask as the api's.
 * Stops on SIGTERM/SIGINT after the batch in flight. In local mode the api runs the projections
 * itself; this process is not needed (and could not open the api's PGlite data directory).
 */
import { join } from 'node:path';
import { ConfigurationError, environment, loadConfiguration } from '@atlauja/config';
import { createEventStore, readModelConnection, StoreUnavailable } from '@atlauja/event-store';
import {
  createLogger, executorProgress, instrumentStore, Metrics, projectionLag, projectionsHealthy, readModelDatabaseAnswers, startProbeServer, startTracing, storeAnswers,
} from '@atlauja/observability';
import { Pseudonyms } from '@atlauja/commands';
import { Processes } from '@atlauja/processes';
import { FileNoticeDelivery, ProjectionRunner, READ_MODELS } from '@atlauja/projections';

const STATUS_EVERY_MS = 60_000;

async function main(): Promise<void> {
  const config = loadConfiguration(environment(), 'worker');
  const logger = createLogger('atlauja-worker', config.logLevel);
  const metrics = new Metrics();
  const tracing = startTracing({ service: 'atlauja-worker', exporter: config.tracing.exporter, endpoint: config.tracing.endpoint });
  const store = instrumentStore(await createEventStore(config.store), { metrics, tracer: tracing.enabled ? tracing.tracer : undefined });
  const readModels = readModelConnection(store, config.store, config.readDatabaseUrl);
  if (readModels === null) throw new ConfigurationError([{ variable: 'READ_DATABASE_URL', rule: 'is required when the event store is not PostgreSQL' }]);
  const { sql } = readModels;

  // No requests share this process: batches may hold the connection longer than the api's 50 ms.
  const runner = new ProjectionRunner({ store, sql, schema: config.readModelSchema, projections: READ_MODELS, logger, batchTimeMs: 1000 });
  await runner.start();
  logger.info({ projections: READ_MODELS.map((p) => p.name), schema: config.readModelSchema, store: config.store.kind }, 'projection runner started');

  metrics.readFrom({ projections: projectionLag(() => runner, store), executor: executorProgress(() => sql, config.readModelSchema) });
  const probes = await startProbeServer({
    host: config.worker.host,
    port: config.worker.port,
    metrics: config.metrics ? metrics : undefined,
    logger,
    checks: {
      store: storeAnswers(store),
      readModels: readModelDatabaseAnswers(() => sql),
      projections: projectionsHealthy(() => runner, config.readiness, projectionLag(() => runner, store)),
    },
  });
  logger.info({ host: config.worker.host, port: probes.port }, 'worker probes listening (/health, /ready, /metrics)');

  const processes = new Processes({
    store,
    sql,
    schema: config.readModelSchema,
    progress: runner,
    clock: { now: () => new Date() },
    // The same key as the api's (server mode requires it): it names the users' grant streams.
    pseudonyms: config.pseudonymKey ? Pseudonyms.fromHex(config.pseudonymKey) : Pseudonyms.inDirectory(join(config.dataDir, 'auth')),
    delivery: new FileNoticeDelivery(join(config.dataDir, 'notices.jsonl')),
    expiryIntervalSeconds: config.expiryIntervalSeconds,
    registryTimerSeconds: config.registryTimerSeconds,
    logger,
    noticesSettled: (outcome, n) => metrics.noticesSettled.inc({ outcome }, n),
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
    await probes.close();
    await processes.stop();
    await runner.stop();
    await readModels.release();
    await store.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  // Configuration and storage problems are the operator's to fix: say exactly what, without a stack.
  const known = error instanceof ConfigurationError || error instanceof StoreUnavailable;
  console.error(known ? `atlauja worker cannot start: ${(error as Error).message}` : error);
  process.exit(1);
});
