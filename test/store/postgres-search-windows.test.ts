/**
 * PostgreSQL search windows (migration 0008): the index's block lexemes, computed by SQL from each
 * document's id, are the ones the application names for a window, and a window query is answered
 * from the GIN index (a query that spelled the indexed expression differently would read every row).
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoomDatabase } from '../../src/store/database-schema.js';
import { openStore, type Store } from '../../src/store/index.js';
import { newestRankedDocuments } from '../../src/store/postgres/postgres-search-windows.js';
import { windowBlocks, windowedQuery } from '../../src/store/postgres/search-window-lexemes.js';
import {
  createTestDatabase,
  databaseUrl,
  dropTestDatabase,
  postgresReachable,
} from '../support/postgres-test-database.js';

const reachable = await postgresReachable();

describe.skipIf(!reachable && !process.env.CI)('postgres search windows', () => {
  let name = '';
  let store: Store;
  let client: pg.Client;
  beforeAll(async () => {
    name = await createTestDatabase();
    store = await openStore({ dataDir: '', databaseUrl: databaseUrl(name) });
    client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await store?.close();
    if (name !== '') await dropTestDatabase(name);
  });

  it('indexes each id under the blocks the application names for windows holding it', async () => {
    for (const id of [0, 1, 1023, 1024, 5000, 123_456, 1_048_575, 1_048_576, 7_654_321]) {
      const { rows } = await client.query<{ lexemes: string[] }>(
        'select tsvector_to_array(loom_search_window_lexemes($1)) as lexemes',
        [id],
      );
      const lexemes = new Set(rows[0]!.lexemes);
      const aligned = Math.floor(id / 1024) * 1024;
      // The smallest window holding the id, and a wide one: each names one block the id is in.
      const narrow = windowBlocks(aligned, aligned + 1024);
      expect(narrow).toHaveLength(1);
      expect(lexemes.has(narrow[0]!)).toBe(true);
      const wide = windowBlocks(0, Math.ceil((id + 1) / 2 ** 20) * 2 ** 20);
      expect(wide.filter((block) => lexemes.has(block))).toHaveLength(1);
    }
  });

  it('answers a window query from the GIN index, and finds only the window’s matches', async () => {
    const thread = await store.threads.create({
      title: 'windows',
      owner: 'alice',
      messages: Array.from({ length: 30 }, (_, index) => ({
        role: 'user' as const,
        content: `zebracorn line ${index}`,
      })),
    });
    const { rows: ids } = await client.query<{ id: string }>(
      'select id from thread_search_documents where thread_id = $1 and message_seq is not null order by id',
      [thread.id],
    );
    const first = Number(ids[0]!.id);
    const lower = Math.floor(first / 1024) * 1024;
    const query = windowedQuery(`'zebracorn'`, lower, lower + 1024);
    await client.query('set enable_seqscan = off'); // a tiny table: make the planner show its index choice
    const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(
      `explain select d.id from thread_search_documents d
       where (d.vector || d.facets || loom_search_window_lexemes(d.id)) @@ $1::tsquery`,
      [query],
    );
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain(
      'Bitmap Index Scan on thread_search_documents_vector',
    );
    const { rows: found } = await client.query<{ id: string }>(
      `select d.id from thread_search_documents d
       where (d.vector || d.facets || loom_search_window_lexemes(d.id)) @@ $1::tsquery order by d.id`,
      [query],
    );
    const expected = ids.map((row) => Number(row.id)).filter((id) => id >= lower && id < lower + 1024);
    expect(found.map((row) => Number(row.id))).toEqual(expected);
    expect((await store.threads.search('zebracorn')).hits.map((hit) => hit.thread.id)).toEqual([thread.id]);
  });

  it('reads the oldest window from the words alone, bounded on the rows, each match once', async () => {
    const old = await store.threads.create({
      title: 'old',
      owner: 'alice',
      messages: [{ role: 'user', content: 'quokkafern in an old message' }],
    });
    // Newer documents three million ids later: the search reads two windows near the newest id, then
    // everything below them as its oldest window.
    await client.query("select setval(pg_get_serial_sequence('thread_search_documents', 'id'), 3000000)");
    const recent = await store.threads.create({
      title: 'recent',
      owner: 'alice',
      messages: [
        { role: 'user', content: 'quokkafern in a recent message' },
        { role: 'assistant', content: 'quokkafern again' },
      ],
    });
    const db = new Kysely<LoomDatabase>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(name), max: 1 }) }),
    });
    try {
      const documents = await newestRankedDocuments(
        db,
        { ranked: `'quokkafern'`, indexed: `'quokkafern'` },
        {},
        50,
      );
      // The recent documents match the oldest window's index query too; its bound drops them there.
      expect(documents.map((document) => document.threadId)).toEqual([recent.id, recent.id, old.id]);
      expect(new Set(documents.map((document) => document.id)).size).toBe(3);
    } finally {
      await db.destroy();
    }
    await client.query('set enable_seqscan = off');
    const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(
      `explain select d.id from thread_search_documents d
       where (d.vector || d.facets || loom_search_window_lexemes(d.id)) @@ $1::tsquery and d.id + 0 < $2`,
      [`'quokkafern'`, 2_000_000],
    );
    const shown = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(shown).toContain('Bitmap Index Scan on thread_search_documents_vector');
    expect(shown).not.toContain('pkey');
    const { hits } = await store.threads.search('quokkafern');
    expect(hits.map((hit) => hit.thread.id)).toEqual(expect.arrayContaining([old.id, recent.id]));
    expect(hits).toHaveLength(2);
  });
});
