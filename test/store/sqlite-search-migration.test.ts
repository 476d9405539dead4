/**
 * Migration 0009 (facet tokens in SQLite's FTS rows) on a database that already holds threads indexed
 * without them: after it, filtered searches find those threads by what they are, words still match,
 * and the rows written again carry the same words.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { loomMigrations } from '../../src/store/migrations/index.js';
import { runMigrations } from '../../src/store/run-migrations.js';
import { openSqliteConnection } from '../../src/store/sqlite/open-sqlite-connection.js';
import { sqliteFileName } from '../../src/store/sqlite/open-sqlite-database.js';
import { captureLogger } from './support/capture-logger.js';

const facets = '0009-sqlite-search-facets';

type Rows = Record<string, unknown>;
type OldTables = {
  threads: Rows;
  thread_messages: Rows;
  thread_sources: Rows;
  thread_search_documents: Rows;
  thread_search_fts: { rowid: number; terms: string };
};

describe('sqlite search migration 0009', () => {
  let dataDir = '';
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'loom-0009-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives threads indexed before it their filters, keeping their words searchable', async () => {
    const db = new Kysely<OldTables>({
      dialect: new SqliteDialect({ database: openSqliteConnection(join(dataDir, sqliteFileName)) }),
    });
    const { logger } = captureLogger();
    const before = Object.fromEntries(Object.entries(loomMigrations).filter(([key]) => key < facets));
    await runMigrations(db, { dialect: 'sqlite', logger, migrations: before });
    // Two threads as 0003–0008 wrote them: FTS rows hold the words only.
    const now = new Date().toISOString();
    for (const [id, status, repository] of [
      ['T-a', 'failed', 'acme/api'],
      ['T-b', 'done', 'acme/web'],
    ] as const) {
      await db
        .insertInto('threads')
        .values({
          id,
          version: 1,
          title: `flaky deploy ${id}`,
          owner: 'alice',
          status,
          visibility: 'team',
          repository,
          sources: JSON.stringify([{ kind: 'github', repository, number: 7, type: 'issue' }]),
          git: JSON.stringify({ commits: [] }),
          agent_state: JSON.stringify({}),
          cost_usd: 0,
          turns: 0,
          run_ids: JSON.stringify([]),
          message_count: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await db
        .insertInto('thread_sources')
        .values({ source_key: `github:${repository}#7`, thread_id: id, kind: 'github', created_at: now })
        .execute();
      await db
        .insertInto('thread_messages')
        .values({
          thread_id: id,
          seq: 0,
          role: 'user',
          content: 'the migration timeout again',
          tool_calls: null,
          tool_call_id: null,
          is_error: 0,
          run_id: null,
          write_id: null,
          created_at: now,
        })
        .execute();
      for (const [seq, terms] of [
        [null, `flaky deploy t-a ${repository}`],
        [0, 'the migration timeout again'],
      ] as const) {
        const { id: rowid } = await db
          .insertInto('thread_search_documents')
          .values({ thread_id: id, message_seq: seq })
          .returning('id')
          .executeTakeFirstOrThrow();
        await db
          .insertInto('thread_search_fts')
          .values({ rowid: Number(rowid), terms })
          .execute();
      }
    }
    expect(await matches(db, '"_status_failed"')).toBe(0);
    await db.destroy();

    const store = await openStore({ dataDir });
    try {
      const ids = async (query: string, filters = {}) =>
        (await store.threads.search(query, filters)).hits.map((hit) => hit.thread.id).sort();
      expect(await ids('timeout')).toEqual(['T-a', 'T-b']);
      expect(await ids('timeout', { status: 'failed' })).toEqual(['T-a']);
      expect(await ids('timeout', { repository: 'acme/web', source: 'github', owner: 'alice' })).toEqual([
        'T-b',
      ]);
      expect(await ids('flaky', { status: 'cancelled' })).toEqual([]);
      expect(await ids('timeout', { source: 'slack' })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

async function matches(db: Kysely<OldTables>, query: string): Promise<number> {
  const { rows } = await sql<{
    n: number;
  }>`select count(*) as n from thread_search_fts where thread_search_fts match ${query}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
