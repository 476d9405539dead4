/**
 * Real stores for the proxy's store tests: SQLite in a temp directory, and PostgreSQL in a uniquely
 * named database (the server is shared with other suites) that is dropped afterwards.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../../src/store/index.js';

export interface OpenedStore {
  store: Store;
  /** The data directory (SQLite only; PostgreSQL stores get a shared temp dir). */
  dataDir: string;
  cleanup(): Promise<void>;
}

export const postgresAdminUrl =
  process.env.LOOM_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function openSqliteTestStore(): Promise<OpenedStore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'loom-proxy-store-'));
  const store = await openStore({ dataDir });
  return {
    store,
    dataDir,
    cleanup: async () => {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export async function openPostgresTestStore(): Promise<OpenedStore> {
  const name = `loom_proxy_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  const store = await openStore({ dataDir: tmpdir(), databaseUrl: url.toString() });
  return {
    store,
    dataDir: tmpdir(),
    cleanup: async () => {
      await store.close();
      await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
