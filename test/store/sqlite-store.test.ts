import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { loomMigrations } from '../../src/store/migrations/index.js';
import { runMigrations } from '../../src/store/run-migrations.js';
import { openSqliteConnection } from '../../src/store/sqlite/open-sqlite-connection.js';
import { withSqliteMigrationLock } from '../../src/store/sqlite/with-sqlite-migration-lock.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { describeStoreContract, expectLoomError, type StoreHarness } from './store-contract.js';
import { runChildrenAtOnce } from './support/run-children-at-once.js';

const temporaryDirectories: string[] = [];

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'loom-store-'));
  temporaryDirectories.push(directory);
  return directory;
}

afterEach(() => {
  for (const directory of temporaryDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

async function makeSqliteStore(): Promise<StoreHarness> {
  const dataDir = temporaryDirectory();
  const opened: Store[] = [];
  const open = async () => {
    const store = await openStore({ dataDir });
    opened.push(store);
    return store;
  };
  return {
    store: await open(),
    openAnother: open,
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
    },
  };
}

/** Reads the file with a connection of its own, as another process would. */
function inspect<T>(dataDir: string, read: (database: Database.Database) => T): T {
  const database = new Database(join(dataDir, 'loom.db'), { readonly: true });
  try {
    return read(database);
  } finally {
    database.close();
  }
}

describeStoreContract('sqlite', makeSqliteStore);

describe('sqlite store', () => {
  it('creates <dataDir>/loom.db, parents included, in WAL mode', async () => {
    const dataDir = join(temporaryDirectory(), 'nested', 'data');
    const store = await openStore({ dataDir });
    await store.requests.record({ deliveryId: 'd-1', source: 'cli', kind: 'run' });
    expect(existsSync(join(dataDir, 'loom.db'))).toBe(true);
    expect(existsSync(join(dataDir, 'loom.db-wal'))).toBe(true);
    expect(inspect(dataDir, (database) => database.pragma('journal_mode', { simple: true }))).toBe('wal');
    await store.close();
  });

  it('opens connections with synchronous=FULL, a busy timeout, foreign keys, a 128 MiB page cache and a memory map', () => {
    const database = openSqliteConnection(join(temporaryDirectory(), 'loom.db'));
    try {
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(database.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
      expect(database.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(database.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(database.pragma('cache_size', { simple: true })).toBe(-128 * 1024); // negative = KiB
      // Capped by SQLite at its compile-time maximum (0x7fff0000 in better-sqlite3's build).
      expect(database.pragma('mmap_size', { simple: true })).toBeGreaterThanOrEqual(2 ** 30);
    } finally {
      database.close();
    }
  });

  it('records each migration once however often, and however concurrently, the file is opened', async () => {
    const dataDir = temporaryDirectory();
    const stores = await Promise.all([
      openStore({ dataDir }),
      openStore({ dataDir }),
      openStore({ dataDir }),
    ]);
    stores.push(await openStore({ dataDir }));
    await Promise.all(stores.map((store) => store.close()));
    const names = inspect(dataDir, (database) =>
      database.prepare('select name from loom_migration order by name').pluck().all(),
    );
    expect(names).toEqual(Object.keys(loomMigrations).sort());
  });

  it('lets two processes open a fresh file at once and agree on every delivery', async () => {
    const dataDir = temporaryDirectory();
    const deliveryIds = Array.from({ length: 20 }, () => randomUUID());
    const outcomes = await runChildrenAtOnce([
      { dataDir, deliveryIds },
      { dataDir, deliveryIds },
    ]);
    for (const outcome of outcomes) expect(outcome.exitCode, outcome.stderr).toBe(0);
    const created = outcomes.map(
      (outcome) => (JSON.parse(outcome.stdout.split('\n').at(-2) ?? '{}') as { created: number }).created,
    );
    expect(created[0]! + created[1]!).toBe(20);
    expect(
      inspect(dataDir, (database) => database.prepare('select count(*) from requests').pluck().get()),
    ).toBe(20);
  }, 60_000);

  it('rolls back the whole batch when a migration fails', async () => {
    const file = join(temporaryDirectory(), 'loom.db');
    const database = openSqliteConnection(file);
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) });
    const migrations = {
      '0001-good': {
        up: async (schemaDb: Kysely<unknown>) =>
          void (await schemaDb.schema.createTable('good').addColumn('id', 'text').execute()),
      },
      '0002-bad': {
        up: async (schemaDb: Kysely<unknown>) => {
          await schemaDb.schema.createTable('half').addColumn('id', 'text').execute();
          await sql`select * from no_such_table`.execute(schemaDb);
        },
      },
    };
    const migrate = withSqliteMigrationLock(database, () =>
      runMigrations(db, { dialect: 'sqlite', logger: createSilentLogger(), migrations }),
    );
    const error = await expectLoomError(migrate, 'internal');
    expect(error.message).toContain('0002-bad');
    const tables = database.prepare("select name from sqlite_master where type = 'table'").pluck().all();
    expect(tables).toEqual([]);
    expect(database.inTransaction).toBe(false);
    await db.destroy();
  });

  it('reports a database locked by another writer as dependency_unavailable after the busy timeout', async () => {
    const dataDir = temporaryDirectory();
    const store = await openStore({ dataDir });
    const blocker = new Database(join(dataDir, 'loom.db'));
    blocker.exec('BEGIN IMMEDIATE');
    try {
      const error = await expectLoomError(
        store.requests.record({ deliveryId: 'locked', source: 'github', kind: 'x' }),
        'dependency_unavailable',
      );
      expect(error.retryable).toBe(true);
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    expect((await store.requests.record({ deliveryId: 'locked', source: 'github', kind: 'x' })).created).toBe(
      true,
    );
    await store.close();
  });

  it('rejects a database URL that is not PostgreSQL', async () => {
    await expectLoomError(
      openStore({ dataDir: temporaryDirectory(), databaseUrl: 'mysql://db/loom' }),
      'config_invalid',
    );
  });

  it('rejects a data directory that cannot be created', async () => {
    const file = join(temporaryDirectory(), 'a-file');
    writeFileSync(file, 'not a directory');
    await expectLoomError(openStore({ dataDir: join(file, 'data') }), 'config_invalid');
  });
});
