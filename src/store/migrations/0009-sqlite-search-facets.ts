import { sql, type Kysely } from 'kysely';
import type { LoomDatabase } from '../database-schema.js';
import { sqliteThreadDialect } from '../sqlite/sqlite-thread-dialect.js';
import { ThreadRows } from '../thread-rows.js';
import { readThreadSearchDocuments } from '../thread-search-documents.js';
import { sqliteCodec } from '../value-codec.js';
import type { LoomMigration } from './loom-migration.js';

/** Every document is brought up to date, as for a thread whose every filter changed. */
const everyFilter = new Set(['status', 'visibility', 'sources', 'owner', 'repository'] as const);

/** Threads rewritten per page of the walk. */
const pageSize = 500;

/**
 * SQLite only: search documents record their thread's filters, so filtered searches never join the
 * threads table (src/store/sqlite/sqlite-document-filters.ts): `thread_search_documents` gains
 * `thread_status`, `thread_visibility` and `source_kinds` (a bit per kind, its index in
 * `threadSourceKinds`, which only ever grows at the end), and every FTS row ends with its thread's
 * owner and repository as facet tokens. The FTS table is contentless, so each live thread's rows are
 * written again from its stored messages, exactly as a change of its filters does. On a large store this takes a while (the messages are
 * tokenized again, then the index is merged: about 10 minutes per million messages on two cores);
 * the server waits meanwhile.
 */
export const sqliteSearchFacets: LoomMigration = {
  async up(untyped, dialect) {
    if (dialect !== 'sqlite') return;
    const db = untyped as Kysely<LoomDatabase>;
    for (const [column, type, fallback] of [
      ['thread_status', 'text', sql`''`],
      ['thread_visibility', 'text', sql`''`],
      ['source_kinds', 'integer', sql`0`],
    ] as const) {
      await db.schema
        .alterTable('thread_search_documents')
        .addColumn(column, type, (definition) => definition.notNull().defaultTo(fallback))
        .execute();
    }
    const rows = new ThreadRows(sqliteCodec);
    let after = '';
    for (;;) {
      const page = await db
        .selectFrom('threads')
        .select('id')
        .where('deleted_at', 'is', null)
        .where('id', '>', after)
        .orderBy('id')
        .limit(pageSize)
        .execute();
      for (const { id } of page) {
        await sqliteThreadDialect.refreshFilters(db, id, everyFilter, () =>
          readThreadSearchDocuments(db, rows, id),
        );
      }
      if (page.length < pageSize) break;
      after = page[page.length - 1]!.id;
    }
    // Every row was deleted and written again: merge the index's segments, dropping the deleted
    // entries, or searches would read both (measured 2–4× slower on a million messages until merged).
    await sql`insert into thread_search_fts(thread_search_fts) values ('optimize')`.execute(db);
  },
};
