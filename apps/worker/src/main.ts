import { ConfigError, loadConfig } from '@repo/config';
import { createLogger } from '@repo/logger';
import { createShutdown } from '@repo/queue';
import { WorkerEnv } from './config';
import { startWorker } from './start-worker';

async function main(): Promise<void> {
  const config = loadConfig(WorkerEnv);
  const logger = createLogger({ service: 'worker', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const worker = await startWorker(config, { logger });
  const shutdown = createShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  shutdown.add({ name: 'worker', close: () => worker.close() });
  shutdown.listen();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Worker failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
