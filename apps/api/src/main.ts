import { createApp } from './app.factory';
import { ConfigurationError, loadConfig } from './config/configuration';

async function main(): Promise<void> {
  const config = loadConfig();
  const { app, logger } = await createApp(config);
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
  logger.info({ mode: config.mode, port: config.port, dataDir: config.dataDir }, 'atlauja api listening');
}

main().catch((error: unknown) => {
  // Configuration problems are the operator's to fix: say exactly what, without a stack.
  if (error instanceof ConfigurationError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
