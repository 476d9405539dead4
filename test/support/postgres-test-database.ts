/**
 * The PostgreSQL server the tests use (`LOOM_TEST_DATABASE_URL`, else 127.0.0.1:5432): whether it
 * answers, and uniquely named databases on it (other test files share the server), dropped after.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const adminUrl = process.env.LOOM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** Runs `work` with a client on the admin database. */
export async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(prefix = 'loom_test'): Promise<string> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await withAdmin((client) => client.query(`create database ${name}`));
  return name;
}

export async function dropTestDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
}

/** The URL of `database` on the test server, optionally through another port (a TCP proxy). */
export function databaseUrl(database: string, port?: number): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (port !== undefined) {
    url.hostname = '127.0.0.1';
    url.port = String(port);
  }
  return url.toString();
}
