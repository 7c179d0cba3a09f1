import path from 'node:path';
import { Client } from 'pg';
import { DatabaseSetupError, describeDatabaseError } from './database-errors';

/** The folder of SQL migrations shipped with this package. */
export const MIGRATIONS_DIR = path.resolve(__dirname, '..', 'migrations');

/** Advisory lock key every process of the product takes while it migrates. */
const MIGRATION_LOCK_KEY = 7_241_865_325_823_964;

/** Options of {@link migrate}. */
export type MigrateOptions = {
  /** Longest wait for another process's migration to finish, in ms (default 120 000). */
  lockTimeoutMs?: number;
  /** Longest wait for the connection itself, in ms (default 10 000). */
  connectTimeoutMs?: number;
};

/**
 * Brings the database schema up to date. Safe to call from every process at start: each caller waits
 * (bounded) for the migration lock, so apps started together migrate one after another and the later
 * ones find nothing left to do. Connection problems become a {@link DatabaseSetupError} naming
 * `DATABASE_URL` and the fix.
 */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<void> {
  const lockTimeoutMs = options.lockTimeoutMs ?? 120_000;
  // A bounded connect: an address that never answers (a firewall dropping packets, another service's
  // port) must fail the start with a message rather than hang it.
  const client = new Client({
    connectionString: databaseUrl,
    application_name: 'migrate',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  client.on('error', () => undefined); // a dropped connection surfaces as the failing query below
  try {
    await client.connect();
  } catch (error) {
    throw describeDatabaseError(error, databaseUrl);
  }
  try {
    // pg_advisory_lock waits, unlike node-pg-migrate's own try-lock that fails at once when another
    // process migrates; lock_timeout bounds the wait.
    await client.query(`SET lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    } catch (error) {
      if ((error as { code?: string }).code === '55P03') {
        throw new DatabaseSetupError(
          `Waited ${Math.round(lockTimeoutMs / 1000)} s for another process to finish the database migration; ` +
            "if none is running, a stuck session holds the lock (see pg_locks where locktype = 'advisory')",
          true,
          { cause: error },
        );
      }
      throw error;
    }
    await client.query('SET lock_timeout = 0');
    // Loaded here, not at module load: processes that never migrate (an ingress with
    // RUN_MIGRATIONS=false) are spared its ~140 modules and their memory.
    const { runner } = await import('node-pg-migrate');
    await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'schema_migrations',
      count: Infinity,
      log: () => undefined,
      verbose: false,
      noLock: true,
    });
  } catch (error) {
    throw describeDatabaseError(error, databaseUrl);
  } finally {
    // Ending the session releases the advisory lock too.
    await client.end().catch(() => undefined);
  }
}
