/**
 * The two ways each adapter applies an owner or repository filter to a search: in the full-text
 * index query when few threads have that value (SQLite: a facet token; PostgreSQL: a lexeme), on each
 * candidate when many do. Both must find exactly the threads that pass, on a real store; status and
 * source filters (always checked on candidates) combine with either.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoomDatabase } from '../../src/store/database-schema.js';
import { maxFewThreads, passesFewThreads } from '../../src/store/few-threads-filter.js';
import { openStore, type Store } from '../../src/store/index.js';
import { openSqliteConnection } from '../../src/store/sqlite/open-sqlite-connection.js';
import { sqliteFileName } from '../../src/store/sqlite/open-sqlite-database.js';
import {
  createTestDatabase,
  databaseUrl,
  dropTestDatabase,
  postgresReachable,
} from '../support/postgres-test-database.js';

interface Opened {
  store: Store;
  /** A second connection to the same database, as another process would open it. */
  db: Kysely<LoomDatabase>;
  cleanup(): Promise<void>;
}

const reachable = await postgresReachable();

const adapters: Array<{ name: string; skip: boolean; open(): Promise<Opened> }> = [
  {
    name: 'sqlite',
    skip: false,
    async open() {
      const dataDir = await mkdtemp(join(tmpdir(), 'loom-few-'));
      const store = await openStore({ dataDir });
      const db = new Kysely<LoomDatabase>({
        dialect: new SqliteDialect({ database: openSqliteConnection(join(dataDir, sqliteFileName)) }),
      });
      return { store, db, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    skip: !reachable && !process.env.CI,
    async open() {
      const name = await createTestDatabase();
      const store = await openStore({ dataDir: '', databaseUrl: databaseUrl(name) });
      const db = new Kysely<LoomDatabase>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(name) }) }),
      });
      return { store, db, cleanup: () => dropTestDatabase(name) };
    },
  },
];

describe.each(adapters)('$name search: owner and repository filters with few and many threads', (adapter) => {
  let opened: Opened;
  const ids = { big: [] as string[], small: [] as string[] };

  beforeAll(async () => {
    if (adapter.skip) return;
    opened = await adapter.open();
    // One more thread than "few", for `big`; `small` has three, one in another repository.
    for (let index = 0; index <= maxFewThreads; index += 1) {
      const thread = await opened.store.threads.create({
        title: index % 100 === 0 ? `deploy flake ${index}` : `chore ${index}`,
        owner: 'big',
        repository: 'acme/monorepo',
        status: index % 200 === 0 ? 'failed' : 'done',
      });
      if (index % 100 === 0) ids.big.push(thread.id);
    }
    for (const repository of ['acme/monorepo', 'acme/api', 'acme/api']) {
      const thread = await opened.store.threads.create({ title: 'deploy flake', owner: 'small', repository });
      ids.small.push(thread.id);
    }
  }, 120_000);
  afterAll(async () => {
    if (adapter.skip) return;
    await opened.db.destroy();
    await opened.store.close();
    await opened.cleanup();
  });

  it.skipIf(adapter.skip)('counts few threads for a rare value and many for a common one', async () => {
    expect(await passesFewThreads(opened.db, 'owner', 'small')).toBe(true);
    expect(await passesFewThreads(opened.db, 'repository', 'acme/api')).toBe(true);
    expect(await passesFewThreads(opened.db, 'owner', 'big')).toBe(false);
    expect(await passesFewThreads(opened.db, 'repository', 'acme/monorepo')).toBe(false);
  });

  it.skipIf(adapter.skip)(
    'finds exactly the passing threads either way, and with other filters',
    async () => {
      const found = async (filters: Parameters<Store['threads']['search']>[1]) =>
        (await opened.store.threads.search('flake', filters, { limit: 100 })).hits
          .map((hit) => hit.thread.id)
          .sort();
      const failedBig = ids.big.filter((_, index) => index % 2 === 0);
      expect(await found({ owner: 'big' })).toEqual([...ids.big].sort());
      expect(await found({ owner: 'big', status: 'failed' })).toEqual([...failedBig].sort());
      expect(await found({ owner: 'small' })).toEqual([...ids.small].sort());
      expect(await found({ repository: 'acme/api' })).toEqual(ids.small.slice(1).sort());
      expect(await found({ repository: 'acme/monorepo' })).toEqual([...ids.big, ids.small[0]!].sort());
      expect(await found({ repository: 'acme/monorepo', owner: 'small' })).toEqual([ids.small[0]]);
      expect(await found({ repository: 'acme/api', owner: 'big' })).toEqual([]);
      expect(await found({ owner: 'small', status: 'failed' })).toEqual([]);
      expect(await found({ owner: 'small', source: 'github' })).toEqual([]);
    },
  );
});
