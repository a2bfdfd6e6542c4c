import { environment } from '@atlauja/config';
import { assertWritableDirectory, StoreUnavailable } from '@atlauja/event-store';
import { createApp } from './app.factory';
import { ConfigurationError, loadConfig } from './config/configuration';

async function main(): Promise<void> {
  const config = loadConfig(environment());
  // Local mode keeps its store, keys and demo PKI under DATA_DIR: a read-only or full directory is
  // named now, before any of them fails with a misleading message of its own.
  if (config.mode === 'local' && config.dataDir !== ':memory:') assertWritableDirectory(config.dataDir, 'DATA_DIR');
  const { app, logger } = await createApp(config);
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
