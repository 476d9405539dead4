import { sql, type ColumnType } from 'kysely';
import type { SearchTerm } from '../../threads/index.js';
import { hasThreadFilters, threadFilterConditions } from '../thread-filters.js';
import { searchCandidates, type SearchDocumentHit, type ThreadDialect } from '../thread-dialect.js';
import { queueSqliteTransaction } from './sqlite-write-queue.js';

/** The FTS5 table as Kysely sees it (not in LoomDatabase: it only exists in SQLite). */
type FtsTables = {
  /** `rank` is FTS5's hidden ranking column: readable, never written. */
  thread_search_fts: { rowid: number | string; terms: string; rank: ColumnType<number, never, never> };
};

/** Rows per multi-row INSERT: well under SQLite's limit of 32 766 bound parameters. */
const batchSize = 400;

/**
 * Threads on SQLite: search through a contentless FTS5 table whose rowid is
 * `thread_search_documents.id`, ranked by bm25 (FTS5's `rank`); transactions queued per file.
 */
export const sqliteThreadDialect: ThreadDialect = {
  searchBreadth: { documentsPerThread: 10, minDocuments: 200 },

  transaction: queueSqliteTransaction,

  async insertDocuments(db, documents) {
    const fts = db.withTables<FtsTables>();
    for (let index = 0; index < documents.length; index += batchSize) {
      const batch = documents.slice(index, index + batchSize);
      // RETURNING rows come back in no promised order: match them to their documents by content.
      const rows = await db
        .insertInto('thread_search_documents')
        .values(batch.map((document) => ({ thread_id: document.threadId, message_seq: document.messageSeq })))
        .returning(['id', 'thread_id', 'message_seq'])
        .execute();
      const idByKey = new Map(
        rows.map((row) => [`${row.thread_id}\u0000${row.message_seq}`, Number(row.id)]),
      );
      await fts
        .insertInto('thread_search_fts')
        .values(
          batch.map((document) => ({
            rowid: idByKey.get(`${document.threadId}\u0000${document.messageSeq}`) ?? -1,
            terms: document.terms.join(' '),
          })),
        )
        .execute();
    }
  },

  // Filters are checked against the thread row at search time: nothing to rewrite.
  async refreshFilters() {},

  async removeDocuments(db, threadId, which) {
    const fts = db.withTables<FtsTables>();
    const ids = db
      .selectFrom('thread_search_documents')
      .select('id')
      .where('thread_id', '=', threadId)
      .$if(which === 'thread', (query) => query.where('message_seq', 'is', null));
    await fts.deleteFrom('thread_search_fts').where('rowid', 'in', ids).execute();
    await db
      .deleteFrom('thread_search_documents')
      .where('thread_id', '=', threadId)
      .$if(which === 'thread', (query) => query.where('message_seq', 'is', null))
      .execute();
  },

  async queryDocuments(db, terms, filters, limit) {
    const fts = db.withTables<FtsTables>();
    const match = sql<boolean>`thread_search_fts match ${ftsQuery(terms)}`;
    const matching = fts
      .selectFrom('thread_search_fts as f')
      .innerJoin('thread_search_documents as d', 'd.id', 'f.rowid')
      .select(['d.thread_id', 'd.message_seq', 'f.rank'])
      .where(match);
    // FTS5 walks its doclists in rowid order, so the newest candidates come without a sort, and
    // bm25 (`rank`) is computed for those rows only.
    // With an owner or a repository filter, few threads pass (indexed): their ids are collected once
    // and each candidate is probed against them, two B-tree reads fewer than joining its thread.
    // Status, source or visibility alone pass many threads: collecting them all costs more than
    // joining the candidates met before the newest passing ones are found.
    const selective = filters.owner !== undefined || filters.repository !== undefined;
    const passing = db
      .selectFrom('threads as t')
      .select('t.id')
      .where((eb) => eb.and(threadFilterConditions(eb, filters)));
    const filtered = !hasThreadFilters(filters)
      ? matching
      : selective
        ? matching.where('d.thread_id', 'in', passing)
        : matching
            .innerJoin('threads as t', 't.id', 'd.thread_id')
            .where((eb) => eb.and(threadFilterConditions(eb, filters)));
    const newest = filtered.orderBy('f.rowid', 'desc').limit(Math.max(limit, searchCandidates));
    const rows = await fts.selectFrom(newest.as('c')).selectAll().orderBy('c.rank').limit(limit).execute();
    // bm25 is lower-is-better (negative); the port promises higher-is-better.
    return rows.map((row): SearchDocumentHit => ({
      threadId: row.thread_id,
      messageSeq: row.message_seq,
      score: -Number(row.rank),
    }));
  },
};

/** `"term" "sha"*`: every term quoted (so `/`, `.` and `-` are not query syntax), AND-ed. */
export function ftsQuery(terms: SearchTerm[]): string {
  return terms.map((term) => `"${term.text.replaceAll('"', '""')}"${term.prefix ? '*' : ''}`).join(' ');
}
