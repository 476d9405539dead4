import { sql, type ColumnType, type Kysely } from 'kysely';
import type { SearchTerm } from '../../threads/index.js';
import type { LoomDatabase } from '../database-schema.js';
import {
  searchCandidates,
  type SearchDocument,
  type SearchDocumentHit,
  type ThreadDialect,
} from '../thread-dialect.js';
import { readThreadFacets, splitFacetFilters } from './sqlite-search-facets.js';
import { hasThreadFilters, threadFilterConditions } from '../thread-filters.js';
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
 * `thread_search_documents.id`, ranked by bm25 (FTS5's `rank`); each row also carries its thread's
 * owner and repository as facet tokens (sqlite-search-facets.ts); transactions queued per file.
 */
export const sqliteThreadDialect: ThreadDialect = {
  searchBreadth: { documentsPerThread: 10, minDocuments: 200 },

  transaction: queueSqliteTransaction,

  async insertDocuments(db, documents) {
    const facets = await readThreadFacets(
      db,
      documents.map((document) => document.threadId),
    );
    for (let index = 0; index < documents.length; index += batchSize) {
      const batch = documents.slice(index, index + batchSize);
      // RETURNING rows come back in no promised order: match them to their documents by content.
      const rows = await db
        .insertInto('thread_search_documents')
        .values(batch.map((document) => ({ thread_id: document.threadId, message_seq: document.messageSeq })))
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
        facets,
      );
    }
  },

  // Only a new owner or repository changes the facets (the other filters are joined). Contentless
  // FTS5 rows cannot be edited, only replaced whole: each of the thread's rows is deleted and written
  // again from its rebuilt terms with the new facets.
  async refreshFilters(db, threadId, changed, currentDocuments) {
    if (!changed.has('owner') && !changed.has('repository')) return;
    const fts = db.withTables<FtsTables>();
    const [stored, documents, facets] = await Promise.all([
      db
        .selectFrom('thread_search_documents')
        .select(['id', 'message_seq'])
        .where('thread_id', '=', threadId)
        .execute(),
      currentDocuments(),
      readThreadFacets(db, [threadId]),
    ]);
    if (stored.length === 0) return;
    const bySeq = new Map(documents.map((document) => [document.messageSeq, document]));
    await fts
      .deleteFrom('thread_search_fts')
      .where(
        'rowid',
        'in',
        stored.map((row) => Number(row.id)),
      )
      .execute();
    const rows = stored.flatMap((row) => {
      const document = bySeq.get(row.message_seq === null ? null : Number(row.message_seq));
      return document === undefined ? [] : [{ rowid: Number(row.id), document }];
    });
    for (let index = 0; index < rows.length; index += batchSize) {
      await writeFtsRows(db, rows.slice(index, index + batchSize), facets);
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
    const fts = db.withTables<FtsTables>();
    // A small owner or repository filter is a facet token in the same rows: FTS5 intersects it with
    // the words' doclists. The other filters are checked against the candidates' threads.
    const { facets, rest } = await splitFacetFilters(db, filters);
    const match = sql<boolean>`thread_search_fts match ${ftsQuery(terms, facets)}`;
    const matching = fts
      .selectFrom('thread_search_fts as f')
      .innerJoin('thread_search_documents as d', 'd.id', 'f.rowid')
      .select(['d.thread_id', 'd.message_seq', 'f.rank'])
      .where(match);
    // FTS5 walks its doclists in rowid order, so the newest candidates come without a sort, and
    // bm25 (`rank`) is computed for those rows only.
    // A large owner or repository filter (no facet) still passes few threads next to all: their ids
    // are collected once and each candidate is probed against them, two B-tree reads fewer than
    // joining its thread. Status, source or visibility pass many threads, as does what is left once
    // a facet has narrowed the candidates: those are joined.
    const selective = facets.length === 0 && (rest.owner !== undefined || rest.repository !== undefined);
    const passing = db
      .selectFrom('threads as t')
      .select('t.id')
      .where((eb) => eb.and(threadFilterConditions(eb, rest)));
    const filtered = !hasThreadFilters(rest)
      ? matching
      : selective
        ? matching.where('d.thread_id', 'in', passing)
        : matching
            .innerJoin('threads as t', 't.id', 'd.thread_id')
            .where((eb) => eb.and(threadFilterConditions(eb, rest)));
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

/** `"term" "sha"* "_repo_…"`: every term quoted (so `/`, `.` and `-` are not query syntax), AND-ed. */
export function ftsQuery(terms: SearchTerm[], facets: readonly string[] = []): string {
  return [
    ...terms.map((term) => `"${term.text.replaceAll('"', '""')}"${term.prefix ? '*' : ''}`),
    ...facets.map((facet) => `"${facet}"`),
  ].join(' ');
}

function documentKey(threadId: string, messageSeq: number | string | null): string {
  return `${threadId}\u0000${messageSeq === null ? '' : Number(messageSeq)}`;
}

/** FTS rows for documents: their terms, then their thread's facets. */
async function writeFtsRows(
  db: Kysely<LoomDatabase>,
  rows: Array<{ rowid: number; document: SearchDocument }>,
  facets: Map<string, string>,
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .withTables<FtsTables>()
    .insertInto('thread_search_fts')
    .values(
      rows.map(({ rowid, document }) => ({
        rowid,
        terms: `${document.terms.join(' ')} ${facets.get(document.threadId) ?? ''}`,
      })),
    )
    .execute();
}
