import { environment } from '@atlauja/config';
import { assertWritableDirectory, startOpeningEmbedded, StoreUnavailable } from '@atlauja/event-store';
import { ConfigurationError, loadConfig } from './config/configuration';

async function main(): Promise<void> {
  const config = loadConfig(environment());
  // Local mode keeps its store, keys and demo PKI under DATA_DIR: a read-only or full directory is
  // named now, before any of them fails with a misleading message of its own.
  if (config.mode === 'local' && config.dataDir !== ':memory:') assertWritableDirectory(config.dataDir, 'DATA_DIR');
  // The embedded store starts opening before the application's modules load, so that what it does
  // off the main thread overlaps with them, and the api listens without waiting for it (requests
  // wait; see Startup). Not a server's store: its connection timeout would run out while the
  // modules load synchronously, and a server deployment starts behind its balancer's readiness.
  const openingStore = config.store.kind === 'embedded' ? startOpeningEmbedded(config.store) : undefined;
  const { createApp } = await import('./app.factory');
  const { app, logger, startup } = await createApp(config, { ...(openingStore && { openingStore }) });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  logger.info({ mode: config.mode, port: config.port, dataDir: config.dataDir }, 'atlauja api listening');
  // A store that cannot open, read models that cannot start: the api stops, saying why, as before it
  // listened; unless a signal stopped it first (the shutdown closed the store under the start).
  try {
    await startup.done;
  } catch (error) {
    if (startup.isStopping) return;
    throw error;
  }
  logger.info('atlauja api started');
}

main().catch((error: unknown) => {
  // Configuration and storage problems are the operator's to fix: say exactly what, without a stack.
  if (error instanceof ConfigurationError || error instanceof StoreUnavailable) console.error(`atlauja api cannot start: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
