import { AsyncLocalStorage } from 'node:async_hooks';
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
  /**
   * Runs `fn` with the queries of everything it starts (its awaits, timers and callbacks included)
   * counted under `label`, e.g. a pipeline stage. Only when the pool was opened with `countQueries`;
   * otherwise it simply runs `fn`.
   */
  labelled<T>(label: string, fn: () => T): T;
  /** Statements sent so far (BEGIN and COMMIT included), in total and by label; zero unless counting. */
  queryStats(): QueryStats;
};

/** Statements a process sent to PostgreSQL, in total and by {@link Db.labelled} label. */
export type QueryStats = { total: number; byLabel: Record<string, number> };

/** Options of {@link createDb}. */
export type DbOptions = {
  url: string;
  poolSize?: number;
  applicationName?: string;
  countQueries?: boolean;
  /**
   * Send {@link Db.query}'s statements as named prepared statements (default true): each is parsed
   * and planned once per connection instead of on every call, which was about half of PostgreSQL's
   * time per pipeline message. Off behind a pooler that cannot keep them.
   */
  preparedStatements?: boolean;
};

// The store's statements are a fixed set of texts; dynamic ones (filters, column lists) vary within
// small bounds. Past this many distinct texts, or for a very long one, statements go unnamed.
const MAX_NAMED_STATEMENTS = 1000;
const MAX_NAMED_STATEMENT_CHARS = 20_000;

/**
 * A prepared statement whose result columns changed under it (a migration added a column to a
 * table a `SELECT *` reads, while this process was running): PostgreSQL refuses to run it again.
 */
function isStalePreparedStatement(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return e?.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change result type');
}

/** Opens a connection pool. */
export function createDb(options: DbOptions): Db {
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? 'hde-consultant',
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Counting is for benchmarks: the async context that carries the label costs a little on every await.
  const counting = options.countQueries === true;
  const labels = counting ? new AsyncLocalStorage<string>() : undefined;
  const stats: QueryStats = { total: 0, byLabel: {} };
  const count = (n = 1) => {
    if (!counting) return;
    stats.total += n;
    const label = labels?.getStore() ?? 'other';
    stats.byLabel[label] = (stats.byLabel[label] ?? 0) + n;
  };
  // One name per statement text, the same in every connection of the process (pg prepares a name
  // on a connection the first time it is used there).
  const prepare = options.preparedStatements !== false;
  const names = new Map<string, string>();
  const unnamed = new Set<string>();
  const nameOf = (sql: string): string | undefined => {
    if (!prepare || sql.length > MAX_NAMED_STATEMENT_CHARS || unnamed.has(sql)) return undefined;
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) {
      name = `hde_${names.size}`;
      names.set(sql, name);
    }
    return name;
  };
  return {
    pool,
    async query<R extends QueryResultRow>(sql: string, params?: unknown[]) {
      count();
      const name = nameOf(sql);
      if (name === undefined) return (await pool.query<R>(sql, params)).rows;
      try {
        return (await pool.query<R>({ name, text: sql, values: params ?? [] })).rows;
      } catch (error) {
        if (!isStalePreparedStatement(error)) throw error;
        // Refused before it ran: run it unprepared, and this text unprepared from now on in this process.
        unnamed.add(sql);
        return (await pool.query<R>(sql, params)).rows;
      }
    },
    async tx<T>(fn: (client: PoolClient) => Promise<T>) {
      const client = await pool.connect();
      // A checked-out client has no listener of its own (the pool's is only on idle clients), and pg
      // emits 'error' when the connection breaks, even mid-query: unheard, that event kills the
      // process. Heard here, the failing query rejects as usual and the broken client is discarded.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      const counted = counting
        ? new Proxy(client, {
            get(target, property, receiver) {
              if (property !== 'query') return Reflect.get(target, property, receiver) as unknown;
              return (...args: Parameters<PoolClient['query']>) => {
                count();
                return (target.query as (...a: unknown[]) => unknown).apply(target, args);
              };
            },
          })
        : client;
      try {
        count(2);
        await client.query('BEGIN');
        const value = await fn(counted);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        if (!broken) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.removeListener('error', onError);
        // Released with the error, the pool closes the client instead of handing it out again.
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
    labelled<T>(label: string, fn: () => T): T {
      return labels ? labels.run(label, fn) : fn();
    },
    queryStats() {
      return { total: stats.total, byLabel: { ...stats.byLabel } };
    },
  };
}

/** PostgreSQL rejects NUL in text and jsonb; strip it from anything customers wrote. */
export function stripNul(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
}
