/**
 * Real stores for the proxy's store tests: SQLite in a temp directory, and PostgreSQL in a uniquely
 * named database (the server is shared with other suites) that is dropped afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../../src/store/index.js';
import { createTestDatabase, databaseUrl, dropTestDatabase } from '../../support/postgres-test-database.js';

export { postgresReachable } from '../../support/postgres-test-database.js';

export interface OpenedStore {
  store: Store;
  /** The data directory (SQLite only; PostgreSQL stores get a shared temp dir). */
  dataDir: string;
  cleanup(): Promise<void>;
}

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

export async function openPostgresTestStore(): Promise<OpenedStore> {
  const name = await createTestDatabase('loom_proxy_test');
  const store = await openStore({ dataDir: tmpdir(), databaseUrl: databaseUrl(name) });
  return {
    store,
    dataDir: tmpdir(),
    cleanup: async () => {
      await store.close();
      await dropTestDatabase(name);
    },
  };
}
