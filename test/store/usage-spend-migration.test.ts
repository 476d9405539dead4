/**
 * Migration 0011 (running spend per token and subject) on SQLite and PostgreSQL databases that already
 * hold usage events: after it, budgets read the same spend the events add up to, and later calls add
 * to it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { loomMigrations } from '../../src/store/migrations/index.js';
import { runMigrations } from '../../src/store/run-migrations.js';
import { openSqliteConnection } from '../../src/store/sqlite/open-sqlite-connection.js';
import { sqliteFileName } from '../../src/store/sqlite/open-sqlite-database.js';
import { usageEventFixture } from '../../src/proxy/usage-event-fixture.js';
import {
  createTestDatabase,
  databaseUrl,
  dropTestDatabase,
  postgresReachable,
} from '../support/postgres-test-database.js';
import { captureLogger } from './support/capture-logger.js';

const totals = '0011-usage-spend-totals';
const postgresUp = await postgresReachable();
if (!postgresUp && process.env.CI) throw new Error('PostgreSQL is not reachable at LOOM_TEST_DATABASE_URL');

type OldTables = { usage_events: Record<string, unknown> };

interface Target {
  /** The database migrated up to (not including) 0011, and how to open it as a store afterwards. */
  open(): Promise<{ db: Kysely<OldTables>; openStore(): Promise<Store>; cleanup(): Promise<void> }>;
  dialect: 'sqlite' | 'postgres';
  timestamp(date: Date): unknown;
}

const sqlite: Target = {
  dialect: 'sqlite',
  timestamp: (date) => date.toISOString(),
  async open() {
    const dataDir = await mkdtemp(join(tmpdir(), 'loom-0011-'));
    const db = new Kysely<OldTables>({
      dialect: new SqliteDialect({ database: openSqliteConnection(join(dataDir, sqliteFileName)) }),
    });
    return {
      db,
      openStore: () => openStore({ dataDir }),
      cleanup: () => rm(dataDir, { recursive: true, force: true }),
    };
  },
};

const postgres: Target = {
  dialect: 'postgres',
  timestamp: (date) => date,
  async open() {
    const name = await createTestDatabase('loom_0011');
    const db = new Kysely<OldTables>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(name) }) }),
    });
    return {
      db,
      openStore: () => openStore({ dataDir: tmpdir(), databaseUrl: databaseUrl(name) }),
      cleanup: () => dropTestDatabase(name),
    };
  },
};

describe.each([
  ['sqlite', sqlite, true],
  ['postgres', postgres, postgresUp],
] as const)('usage spend migration 0011 on %s', (_name, target, available) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it.runIf(available)('sums the events already recorded, and later batches add to the sums', async () => {
    const opened = await target.open();
    cleanups.push(opened.cleanup);
    const before = Object.fromEntries(Object.entries(loomMigrations).filter(([key]) => key < totals));
    await runMigrations(opened.db, {
      dialect: target.dialect,
      logger: captureLogger().logger,
      migrations: before,
    });
    const old = [
      { id: 'e1', subject: 'alice', token_id: 'jti-1', cost_usd: 0.25 },
      { id: 'e2', subject: 'alice', token_id: 'jti-1', cost_usd: 0.5 },
      { id: 'e3', subject: 'alice', token_id: 'jti-2', cost_usd: 1 },
      { id: 'e4', subject: 'bob', token_id: 'jti-3', cost_usd: 2 },
    ];
    await opened.db
      .insertInto('usage_events')
      .values(
        old.map((row) => ({
          ...row,
          at: target.timestamp(new Date('2026-01-01T00:00:00Z')),
          job_id: null,
          provider: 'anthropic',
          model: 'claude-sonnet-4-6',
          route: 'stream',
          input_tokens: 10,
          output_tokens: 5,
          latency_ms: 100,
          status: 'ok',
          http_status: 200,
          error_code: null,
        })),
      )
      .execute();
    await opened.db.destroy();

    const store = await opened.openStore();
    cleanups.push(() => store.close());
    expect(await store.usage.spentUsd({ tokenId: 'jti-1' })).toBeCloseTo(0.75, 12);
    expect(await store.usage.spentUsd({ tokenId: 'jti-2' })).toBeCloseTo(1, 12);
    expect(await store.usage.spentUsd({ subject: 'alice' })).toBeCloseTo(1.75, 12);
    expect(await store.usage.spentUsd({ subject: 'bob' })).toBeCloseTo(2, 12);
    await store.usage.record(usageEventFixture('jti-1', 0.125)); // subject alice
    expect(await store.usage.spentUsd({ tokenId: 'jti-1' })).toBeCloseTo(0.875, 12);
    expect(await store.usage.spentUsd({ subject: 'alice' })).toBeCloseTo(1.875, 12);
    expect(await store.usage.spentUsd({ subject: 'bob' })).toBeCloseTo(2, 12);
    // Migration 0013 gave the events recorded before it cache counts of 0: read as uncached.
    expect((await store.usage.list({ tokenId: 'jti-3' }))[0]).toMatchObject({
      inputTokens: 10,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
    });
  });
});
