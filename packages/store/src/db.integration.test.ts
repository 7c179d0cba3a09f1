import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@repo/testing';
import { createDb, type Db } from './db';

describe('database connection lost inside a transaction', () => {
  let database: TestDatabase;
  let db: Db;
  let admin: Client;

  beforeAll(async () => {
    database = await createTestDatabase('dbtx');
    db = createDb({ url: database.url, poolSize: 2 });
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin.end();
    await db.close();
    await database.drop();
  });

  it('S1 PostgreSQL connection lost inside a transaction: the transaction fails, the process lives on, the pool goes on with a new connection', async () => {
    await expect(
      db.tx(async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // The server ends the connection while the transaction waits for something else (an HDE
        // call, say): pg reports it as an 'error' event with no query running.
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await client.query('SELECT 1');
      }),
    ).rejects.toThrow();
    expect(await db.query<{ ok: number }>('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    // Both pooled connections are usable afterwards (the broken one was discarded, not reused).
    const pids = await Promise.all([
      db.tx(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid),
      db.tx(async (c) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid),
    ]);
    expect(pids.every((p) => p > 0)).toBe(true);
  });
});

describe('statements prepared once per connection', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('dbprep');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('runs each statement text as one named statement per connection, and unprepared when it is off', async () => {
    for (const preparedStatements of [true, false]) {
      const db = createDb({ url: database.url, poolSize: 1, preparedStatements });
      try {
        for (let i = 0; i < 3; i += 1) expect(await db.query('SELECT $1::int + 1 AS n', [i])).toEqual([{ n: i + 1 }]);
        const prepared = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = 'SELECT $1::int + 1 AS n'`,
        );
        expect(prepared[0]!.n).toBe(preparedStatements ? 1 : 0);
      } finally {
        await db.close();
      }
    }
  });

  it('S6 a migration changes the result columns of a prepared statement under a running process: the statement still runs, unprepared', async () => {
    const db = createDb({ url: database.url, poolSize: 1 });
    try {
      await db.query('CREATE TABLE evolving (id int)');
      await db.query('INSERT INTO evolving VALUES (1)');
      expect(await db.query('SELECT * FROM evolving')).toEqual([{ id: 1 }]);
      // What a rolling upgrade does to a running process: another one migrates the table.
      const other = new Client({ connectionString: database.url });
      await other.connect();
      await other.query(`ALTER TABLE evolving ADD COLUMN note text DEFAULT 'x'`);
      await other.end();
      expect(await db.query('SELECT * FROM evolving')).toEqual([{ id: 1, note: 'x' }]);
      expect(await db.query('SELECT * FROM evolving')).toEqual([{ id: 1, note: 'x' }]);
    } finally {
      await db.close();
    }
  });
});
