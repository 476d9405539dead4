import { sql, type Kysely } from 'kysely';
import type { LoomDatabase } from '../database-schema.js';
import type { SearchTerm } from '../../threads/index.js';
import type { SearchDocumentHit, ThreadDialect } from '../thread-dialect.js';
import { expandPrefixTerms } from './expand-prefix-terms.js';
import { newestRankedDocuments, type VectorTables } from './postgres-search-windows.js';
import { quoteLexeme } from './quote-lexeme.js';

const batchSize = 500;
/**
 * PostgreSQL ranks the newest 50 matches (SQLite `searchCandidates`: 300). Each one is a heap read,
 * and a heap page not read in the last minute or so is a disk read here (~40–60 µs): 300 of them
 * alone would cost 12–18 ms. 50 still covers a first page (21 threads × 3 documents, `searchBreadth`);
 * a page whose candidates hold too few threads asks for more.
 */
const postgresSearchCandidates = 50;
/** PostgreSQL keeps at most 256 positions per lexeme, and positions up to 16 383. */
const maxPositionsPerTerm = 256;
const maxPosition = 16_383;

/**
 * Threads on PostgreSQL: plain transactions, and search through a `tsvector` per document behind a GIN index, ranked by `ts_rank`.
 * The vector is written as a tsvector literal built from Loom's own terms (with positions, so
 * `ts_rank` sees term frequency): PostgreSQL's text parser would split `src/math.js` differently.
 */
export const postgresThreadDialect: ThreadDialect = {
  searchBreadth: { documentsPerThread: 3, minDocuments: postgresSearchCandidates },

  transaction: (db, work) =>
    db.transaction().execute(async (trx) => {
      const terms = new Set<string>();
      pendingTerms.set(trx, terms);
      const result = await work(trx);
      await insertTerms(trx, terms);
      return result;
    }),

  async insertDocuments(db, documents) {
    if (documents.length === 0) return;
    const typed = db.withTables<VectorTables>();
    // The threads' filters as lexemes (search-facets.ts), read once per thread in this transaction.
    const threadIds = [...new Set(documents.map((document) => document.threadId))];
    const facetRows = await sql<{ id: string; facets: string }>`
      select id, loom_thread_facets(id)::text as facets from unnest(${threadIds}::text[]) as id
    `.execute(db);
    const facets = new Map(facetRows.rows.map((row) => [row.id, row.facets]));
    // Every term into the vocabulary prefix queries expand from (expand-prefix-terms.ts): at the end
    // of the transaction when it is one of ours, else now.
    const pending = pendingTerms.get(db);
    for (const document of documents) for (const term of document.terms) pending?.add(term);
    if (pending === undefined)
      await insertTerms(db, new Set(documents.flatMap((document) => document.terms)));
    for (let index = 0; index < documents.length; index += batchSize) {
      const batch = documents.slice(index, index + batchSize);
      await typed
        .insertInto('thread_search_documents')
        .values(
          batch.map((document) => ({
            thread_id: document.threadId,
            message_seq: document.messageSeq,
            vector: sql<string>`${tsvectorLiteral(document.terms)}::tsvector`,
            facets: sql<string>`${facets.get(document.threadId) ?? ''}::tsvector`,
          })),
        )
        .execute();
    }
  },

  async refreshFilters(db, threadId) {
    await db
      .withTables<VectorTables>()
      .updateTable('thread_search_documents')
      .set({ facets: sql<string>`loom_thread_facets(${threadId})` })
      .where('thread_id', '=', threadId)
      .where(sql<boolean>`facets is distinct from loom_thread_facets(${threadId})`)
      .execute();
  },

  async removeDocuments(db, threadId, which) {
    await db
      .deleteFrom('thread_search_documents')
      .where('thread_id', '=', threadId)
      .$if(which === 'thread', (query) => query.where('message_seq', 'is', null))
      .execute();
  },

  async queryDocuments(db, terms, filters, limit) {
    const indexWords = await expandPrefixTerms(db, terms);
    if (indexWords === undefined) return [];
    const candidates = await newestRankedDocuments(
      db,
      { ranked: tsqueryLiteral(terms), indexed: indexWords },
      filters,
      Math.max(limit, postgresSearchCandidates),
    );
    return candidates
      .sort((a, b) => b.score - a.score || b.id - a.id)
      .slice(0, limit)
      .map(({ threadId, messageSeq, score }): SearchDocumentHit => ({ threadId, messageSeq, score }));
  },
};

/**
 * The terms a transaction's documents add to the vocabulary, written by its last statement: a new
 * term's row stays locked until commit, and another writer of the same term waits for it. Written
 * last and in one order (byte order, as the key), every transaction holds term locks only while
 * waiting for others in that same order, so two writers cannot deadlock (written per
 * `insertDocuments` call, the second call of a transaction could wait for a writer waiting on it).
 */
const pendingTerms = new WeakMap<object, Set<string>>();

async function insertTerms(db: Kysely<LoomDatabase>, terms: Set<string>): Promise<void> {
  if (terms.size === 0) return;
  await sql`
    insert into thread_search_terms (term)
    select term from unnest(${[...terms]}::text[]) as term order by term collate "C"
    on conflict do nothing
  `.execute(db);
}

/** `'src/math.js':1 'src':2,9 …`: each distinct term with the positions it occurs at. */
export function tsvectorLiteral(terms: string[]): string {
  const positions = new Map<string, number[]>();
  terms.forEach((term, index) => {
    const list = positions.get(term) ?? [];
    if (list.length < maxPositionsPerTerm) list.push(Math.min(index + 1, maxPosition));
    positions.set(term, list);
  });
  return [...positions].map(([term, list]) => `${quoteLexeme(term)}:${list.join(',')}`).join(' ');
}

/** `'feature/x' & 'abc1234':*`: the terms AND-ed, verbatim (no parser), prefix terms with `:*`. */
export function tsqueryLiteral(terms: SearchTerm[]): string {
  return terms.map((term) => `${quoteLexeme(term.text)}${term.prefix ? ':*' : ''}`).join(' & ');
}
