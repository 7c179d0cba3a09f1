import { ConfigError, loadConfig } from '@repo/config';
import { createLogger } from '@repo/logger';
import { createShutdown } from '@repo/queue';
import { AdminEnv } from './config';
import { startAdmin } from './start-admin';

async function main(): Promise<void> {
  const config = loadConfig(AdminEnv);
  const logger = createLogger({ service: 'admin', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const admin = await startAdmin(config, { logger });
  const shutdown = createShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  shutdown.add({ name: 'admin', close: () => admin.close() });
  shutdown.listen();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Admin failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
