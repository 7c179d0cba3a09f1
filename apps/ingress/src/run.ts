import { loadConfig, ConfigError } from '@repo/config';
import { createLogger } from '@repo/logger';
import { createShutdown } from '@repo/queue';
import { IngressEnv } from './config';
import { startIngress } from './start-ingress';

/** Starts the ingress from its configuration and stops it on SIGTERM/SIGINT (see main.ts for the entry). */
async function main(): Promise<void> {
  const config = loadConfig(IngressEnv);
  const logger = createLogger({ service: 'ingress', level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const ingress = await startIngress(config, { logger });
  const shutdown = createShutdown({ logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS });
  shutdown.add({ name: 'ingress', close: () => ingress.close() });
  shutdown.listen();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Ingress failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
