import { sql } from 'kysely';
import { searchCandidates, type SearchDocumentHit, type ThreadDialect } from '../thread-dialect.js';
import { threadFilterConditions } from '../thread-filters.js';
import {
  documentFilterConditions,
  readThreadSearchFilters,
  type SqliteDocumentTables,
} from './sqlite-document-filters.js';
import {
  ftsBatchSize,
  ftsQuery,
  rewriteThreadFtsRows,
  writeFtsRows,
  type FtsTables,
} from './sqlite-fts-rows.js';
import { splitFacetFilters } from './sqlite-search-facets.js';
import { queueSqliteTransaction } from './sqlite-write-queue.js';

/**
 * Threads on SQLite: search through a contentless FTS5 table whose rowid is
 * `thread_search_documents.id`, ranked by bm25 (FTS5's `rank`). Each document records its thread's
 * filters (sqlite-document-filters.ts): owner and repository as facet tokens in its FTS row, status,
 * visibility and source kinds as columns of its row, so searches never join the threads table.
 * Transactions are queued per file.
 */
export const sqliteThreadDialect: ThreadDialect = {
  searchBreadth: { documentsPerThread: 10, minDocuments: 200 },

  transaction: queueSqliteTransaction,

  async insertDocuments(db, documents) {
    const filters = await readThreadSearchFilters(
      db,
      documents.map((document) => document.threadId),
    );
    const documentsTable = db.withTables<SqliteDocumentTables>();
    for (let index = 0; index < documents.length; index += ftsBatchSize) {
      const batch = documents.slice(index, index + ftsBatchSize);
      // RETURNING rows come back in no promised order: match them to their documents by content.
      const rows = await documentsTable
        .insertInto('thread_search_documents')
        .values(
          batch.map((document) => ({
            thread_id: document.threadId,
            message_seq: document.messageSeq,
            ...(filters.get(document.threadId)?.columns ?? unknownThread),
          })),
        )
        .returning(['id', 'thread_id', 'message_seq'])
        .execute();
      const idByKey = new Map(
        rows.map((row) => [documentKey(row.thread_id, row.message_seq), Number(row.id)]),
      );
      await writeFtsRows(
        db,
        batch.map((document) => ({
          rowid: idByKey.get(documentKey(document.threadId, document.messageSeq)) ?? -1,
          document,
        })),
        (threadId) => filters.get(threadId)?.facets ?? '',
      );
    }
  },

  // Status, visibility and sources are columns: one UPDATE. The owner and the repository are
  // facets in the FTS rows, which are written again whole (rare: set once, when a thread is linked).
  async refreshFilters(db, threadId, changed, currentDocuments) {
    const filters = (await readThreadSearchFilters(db, [threadId])).get(threadId);
    if (filters === undefined) return;
    if (changed.has('status') || changed.has('visibility') || changed.has('sources')) {
      await db
        .withTables<SqliteDocumentTables>()
        .updateTable('thread_search_documents')
        .set(filters.columns)
        .where('thread_id', '=', threadId)
        .execute();
    }
    if (changed.has('owner') || changed.has('repository')) {
      await rewriteThreadFtsRows(db, threadId, currentDocuments, filters.facets);
    }
  },

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
    const tables = db.withTables<FtsTables & SqliteDocumentTables>();
    // A small owner or repository filter is a facet token in the same rows: FTS5 intersects it with
    // the words' doclists.
    const { facets, rest } = await splitFacetFilters(db, filters);
    const match = sql<boolean>`thread_search_fts match ${ftsQuery(terms, facets)}`;
    // FTS5 walks its doclists in rowid order, so the newest candidates come without a sort, and
    // bm25 (`rank`) is computed for those rows only. Status, visibility and source are checked on
    // the document row each candidate is joined to anyway. A large owner or repository (no facet)
    // passes few threads next to all: their ids are collected once and each candidate is probed.
    const ownerOrRepository = { owner: rest.owner, repository: rest.repository };
    const probed = ownerOrRepository.owner !== undefined || ownerOrRepository.repository !== undefined;
    const passing = db
      .selectFrom('threads as t')
      .select('t.id')
      .where((eb) => eb.and(threadFilterConditions(eb, ownerOrRepository)));
    const newest = tables
      .selectFrom('thread_search_fts as f')
      .innerJoin('thread_search_documents as d', 'd.id', 'f.rowid')
      .select(['d.thread_id', 'd.message_seq', 'f.rank'])
      .where(match)
      .where((eb) => eb.and(documentFilterConditions(eb, rest)))
      .$if(probed, (query) => query.where('d.thread_id', 'in', passing))
      .orderBy('f.rowid', 'desc')
      .limit(Math.max(limit, searchCandidates));
    const rows = await tables.selectFrom(newest.as('c')).selectAll().orderBy('c.rank').limit(limit).execute();
    // bm25 is lower-is-better (negative); the port promises higher-is-better.
    return rows.map((row): SearchDocumentHit => ({
      threadId: row.thread_id,
      messageSeq: row.message_seq,
      score: -Number(row.rank),
    }));
  },
};

/** Columns for a document whose thread row is missing (cannot happen in a transaction; never matches a filter). */
const unknownThread = { thread_status: '', thread_visibility: '', source_kinds: 0 };

function documentKey(threadId: string, messageSeq: number | string | null): string {
  return `${threadId}\u0000${messageSeq === null ? '' : Number(messageSeq)}`;
}
