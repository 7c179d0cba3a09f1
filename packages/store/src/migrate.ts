import path from 'node:path';
import { runner } from 'node-pg-migrate';

/** The folder of SQL migrations shipped with this package. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');

/**
 * Brings the database schema up to date. Safe to call from every process at start: node-pg-migrate
 * takes an advisory lock, so concurrent callers wait for each other.
 */
export async function migrate(databaseUrl: string): Promise<void> {
  await runner({
    databaseUrl,
    dir: MIGRATIONS_DIR,
    direction: 'up',
    migrationsTable: 'schema_migrations',
    count: Infinity,
    log: () => undefined,
    verbose: false,
    noLock: false,
  });
}
