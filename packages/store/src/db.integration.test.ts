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
