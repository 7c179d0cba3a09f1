import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A database made for one test file, dropped by {@link TestDatabase.drop}. */
export type TestDatabase = { url: string; name: string; drop(): Promise<void> };

/** The server tests create their databases on; `TEST_DATABASE_URL` points at any database there. */
export function adminDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** Creates an empty database with a unique name. The caller runs migrations. */
export async function createTestDatabase(label = 't'): Promise<TestDatabase> {
  const name = `${label}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new Client({ connectionString: adminDatabaseUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
