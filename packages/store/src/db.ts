import { Pool, types, type PoolClient, type QueryResultRow } from 'pg';

// bigint columns (ids, ticket ids) fit in a double for every id HDE or we produce.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

/** The store's handle on PostgreSQL. */
export type Db = {
  pool: Pool;
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs `fn` in a transaction; rolls back when it throws. */
  tx<T>(fn: (client: PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

/** Opens a connection pool. */
export function createDb(options: { url: string; poolSize?: number; applicationName?: string }): Db {
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'hde-consultant',
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  return {
    pool,
    async query<R extends QueryResultRow>(sql: string, params?: unknown[]) {
      const result = await pool.query<R>(sql, params);
      return result.rows;
    },
    async tx<T>(fn: (client: PoolClient) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await fn(client);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** PostgreSQL rejects NUL in text and jsonb; strip it from anything customers wrote. */
export function stripNul(value: string): string {
  return value.includes('\u0000') ? value.replace(/\u0000/g, '') : value;
}
