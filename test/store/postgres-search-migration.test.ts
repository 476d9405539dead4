/**
 * Migrations 0006, 0008 and 0010 (search tuning, windows and filters, the term vocabulary) on a PostgreSQL database that already
 * holds threads: they apply in order after the earlier migrations, keep the data searchable (filters
 * included), and running it again changes nothing.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { loomMigrations } from '../../src/store/migrations/index.js';
import { runMigrations } from '../../src/store/run-migrations.js';
import {
  createTestDatabase,
  databaseUrl,
  dropTestDatabase,
  postgresReachable,
} from '../support/postgres-test-database.js';
import { captureLogger } from './support/capture-logger.js';

const tuning = '0006-thread-search-tuning';
const reachable = await postgresReachable();

describe.skipIf(!reachable && !process.env.CI)('postgres search migration 0006', () => {
  let name = '';
  let db: Kysely<unknown>;
  beforeAll(async () => {
    name = await createTestDatabase();
    db = new Kysely({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(name) }) }),
    });
  });
  afterAll(async () => {
    await db.destroy();
    if (name !== '') await dropTestDatabase(name);
  });

  it('applies after the earlier migrations on a database with threads, and again without effect', async () => {
    const { logger } = captureLogger();
    const before = Object.fromEntries(Object.entries(loomMigrations).filter(([key]) => key < tuning));
    await runMigrations(db, { dialect: 'postgres', logger, migrations: before });
    // A thread and its search document as 0003 left them (the GIN pending list holds the entry).
    const now = new Date();
    await db
      .withTables<{ threads: Record<string, unknown>; thread_search_documents: Record<string, unknown> }>()
      .insertInto('threads')
      .values({
        id: 'T-0006',
        version: 1,
        title: 'flaky deploy',
        owner: 'alice',
        status: 'done',
        visibility: 'team',
        repository: null,
        sources: JSON.stringify([]),
        git: JSON.stringify({ commits: [] }),
        agent_state: JSON.stringify({}),
        cost_usd: 0,
        turns: 0,
        run_ids: JSON.stringify([]),
        message_count: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .withTables<{ thread_search_documents: Record<string, unknown> }>()
      .insertInto('thread_search_documents')
      .values({ thread_id: 'T-0006', message_seq: null, vector: `'flaky':1 'deploy':2` })
      .execute();

    const store = await openStore({ dataDir: '', databaseUrl: databaseUrl(name) });
    try {
      const { hits } = await store.threads.search('flaky');
      expect(hits.map((hit) => hit.thread.id)).toEqual(['T-0006']);
      // 0008 gave the existing document its thread's filters.
      const filtered = await store.threads.search('flaky', { status: 'done', owner: 'alice' });
      expect(filtered.hits.map((hit) => hit.thread.id)).toEqual(['T-0006']);
      expect((await store.threads.search('flaky', { status: 'failed' })).hits).toEqual([]);
      // 0010 took the existing document's terms into the vocabulary prefix queries expand from.
      expect((await store.threads.search('fla*')).hits.map((hit) => hit.thread.id)).toEqual(['T-0006']);
      expect((await store.threads.search('depl*')).hits.map((hit) => hit.thread.id)).toEqual(['T-0006']);
      await store.threads.create({ title: 'flaky tests', owner: 'bob' });
      expect((await store.threads.search('flaky')).hits).toHaveLength(2);
    } finally {
      await store.close();
    }
    const applied = await db
      .withTables<{ loom_migration: { name: string } }>()
      .selectFrom('loom_migration')
      .select('name')
      .orderBy('name')
      .execute();
    expect(applied.map((row) => row.name)).toEqual(Object.keys(loomMigrations).sort());

    await loomMigrations[tuning]!.up(db, 'postgres');
    const indexes = await db
      .withTables<{ pg_indexes: { indexname: string; tablename: string } }>()
      .selectFrom('pg_indexes')
      .select('indexname')
      .where('tablename', '=', 'thread_search_documents')
      .orderBy('indexname')
      .execute();
    expect(indexes.map((row) => row.indexname)).toContain('thread_search_documents_id_brin');
    const options = await db
      .withTables<{ pg_class: { relname: string; reloptions: string[] | null } }>()
      .selectFrom('pg_class')
      .select('reloptions')
      .where('relname', '=', 'thread_search_documents_vector')
      .executeTakeFirst();
    expect(options?.reloptions).toEqual(['gin_pending_list_limit=64']);
  });
});
