import { environment } from '@atlauja/config';
import { assertWritableDirectory, createEventStore, StoreUnavailable } from '@atlauja/event-store';
import { ConfigurationError, loadConfig } from './config/configuration';

async function main(): Promise<void> {
  const config = loadConfig(environment());
  // Local mode keeps its store, keys and demo PKI under DATA_DIR: a read-only or full directory is
  // named now, before any of them fails with a misleading message of its own.
  if (config.mode === 'local' && config.dataDir !== ':memory:') assertWritableDirectory(config.dataDir, 'DATA_DIR');
  // The embedded store starts opening before the application's modules load, so that what it does
  // off the main thread overlaps with them; a failure to open is reported where it is awaited. Not a
  // server's store: its connection timeout would run out while the modules load synchronously.
  const storeOpening = config.store.kind === 'embedded' ? createEventStore(config.store) : undefined;
  storeOpening?.catch(() => undefined);
  const { createApp } = await import('./app.factory');
  const { app, logger } = await createApp(config, { ...(storeOpening && { storeOpening }) });
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  logger.info({ mode: config.mode, port: config.port, dataDir: config.dataDir }, 'atlauja api listening');
}

main().catch((error: unknown) => {
  // Configuration and storage problems are the operator's to fix: say exactly what, without a stack.
  if (error instanceof ConfigurationError || error instanceof StoreUnavailable) console.error(`atlauja api cannot start: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
