import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ThreadFilters } from '../../threads/index.js';
import type { LoomDatabase } from '../database-schema.js';
import { hasThreadFilters, threadFilterConditions, threadsPassingFilters } from '../thread-filters.js';

/** The documents table with its PostgreSQL-only column. */
export type VectorTables = {
  thread_search_documents: { vector: string };
};

/** A matching document with its relevance (`ts_rank`). */
export interface RankedDocument {
  id: number;
  threadId: string;
  messageSeq: number | null;
  score: number;
}

/** Documents (ids) in the newest window; later windows are sized from its share of matches. */
const firstWindow = 2_000;
/** A later window is this much wider than the matches seen so far suggest, so one usually suffices. */
const windowMargin = 1.5;
/** Filtered threads holding at most this many documents are searched thread by thread. */
const selectiveDocuments = 50_000;
/** `ts_rank` normalization 1: divide by 1 + log(document length), like bm25's length penalty. */
const rankNormalization = 1;

/**
 * The newest `wanted` documents matching `query` (of threads passing `filters`), newest first, each
 * ranked. GIN returns matches in no useful order and cannot stop early, and reading every match of a
 * frequent word from the heap to keep the newest few hundred is what made searches slow. So the
 * documents are read window by window, newest first: a window ANDs the GIN bitmap with an id range
 * (BRIN index, migration 0006), so only that window's matches are read. The first window is small;
 * its share of matches sizes the next to hold the candidates still wanted, so a frequent word takes
 * two windows and a rare word (no matches in the newest window) goes straight to all the rest. No
 * ORDER BY / LIMIT in SQL: with them the planner walks the primary key and reads every row.
 * Filters are checked per candidate thread afterwards (`threadsPassingFilters`), not joined.
 */
export async function newestRankedDocuments(
  db: Kysely<LoomDatabase>,
  query: RawBuilder<unknown>,
  filters: ThreadFilters,
  wanted: number,
): Promise<RankedDocument[]> {
  if (await isSelective(db, filters)) return rankedInFilteredThreads(db, query, filters, wanted);
  const typed = db.withTables<VectorTables>();
  const newest = await typed
    .selectFrom('thread_search_documents')
    .select(sql<string | null>`max(id)`.as('id'))
    .executeTakeFirst();
  const verdicts = new Map<string, boolean>();
  const candidates: RankedDocument[] = [];
  let upper = Number(newest?.id ?? 0);
  let width = firstWindow;
  let scanned = 0;
  while (upper > 0 && candidates.length < wanted) {
    const lower = width * 2 >= upper ? 0 : upper - width;
    const rows = await typed
      .selectFrom('thread_search_documents as d')
      .select([
        'd.id',
        'd.thread_id',
        'd.message_seq',
        sql<number>`ts_rank(d.vector, ${query}, ${sql.lit(rankNormalization)})`.as('score'),
      ])
      .where(sql<boolean>`d.vector @@ ${query}`)
      .$if(lower > 0, (window) => window.where('d.id', '>', String(lower)))
      .where('d.id', '<=', String(upper))
      .execute();
    const documents = rows.map(toRanked);
    const kept = hasThreadFilters(filters) ? await keepPassing(db, documents, filters, verdicts) : documents;
    candidates.push(...kept.sort((a, b) => b.id - a.id));
    scanned += upper - lower;
    upper = lower;
    const density = candidates.length / scanned;
    width = density === 0 ? upper : Math.ceil(((wanted - candidates.length) / density) * windowMargin);
  }
  return candidates.slice(0, wanted);
}

/**
 * Whether few enough documents belong to threads passing `filters` to read them thread by thread:
 * an owner's or a repository's threads (both indexed) holding at most `selectiveDocuments`.
 */
async function isSelective(db: Kysely<LoomDatabase>, filters: ThreadFilters): Promise<boolean> {
  if (filters.owner === undefined && filters.repository === undefined) return false;
  // Every thread has at least one document, so looking at one thread more than the bound decides.
  const threads = db
    .selectFrom('threads as t')
    .select(sql<number>`t.message_count + 1`.as('documents'))
    .where((eb) => eb.and(threadFilterConditions(eb, filters)))
    .limit(selectiveDocuments + 1);
  const row = await db
    .selectFrom(threads.as('f'))
    .select(sql<string | null>`sum(f.documents)`.as('documents'))
    .executeTakeFirst();
  return Number(row?.documents ?? 0) <= selectiveDocuments;
}

/**
 * With a selective filter the matches of a word are mostly in other threads, so windows would read
 * nearly all of them. Instead the GIN bitmap is ANDed with the filtered threads' documents (the
 * `thread_id` index): the heap is read for matches in those threads only.
 */
async function rankedInFilteredThreads(
  db: Kysely<LoomDatabase>,
  query: RawBuilder<unknown>,
  filters: ThreadFilters,
  wanted: number,
): Promise<RankedDocument[]> {
  const threads = db
    .selectFrom('threads as t')
    .select('t.id')
    .where((eb) => eb.and(threadFilterConditions(eb, filters)));
  const rows = await db
    .withTables<VectorTables>()
    .selectFrom('thread_search_documents as d')
    .select([
      'd.id',
      'd.thread_id',
      'd.message_seq',
      sql<number>`ts_rank(d.vector, ${query}, ${sql.lit(rankNormalization)})`.as('score'),
    ])
    .where(sql<boolean>`d.vector @@ ${query}`)
    // `= any(array(…))`, not a join: PostgreSQL then ANDs the two bitmaps instead of hashing.
    .where(sql<boolean>`d.thread_id = any(array(${threads}))`)
    .execute();
  return rows
    .map(toRanked)
    .sort((a, b) => b.id - a.id)
    .slice(0, wanted);
}

function toRanked(row: {
  id: number | string;
  thread_id: string;
  message_seq: number | null;
  score: number;
}) {
  return {
    id: Number(row.id),
    threadId: row.thread_id,
    messageSeq: row.message_seq,
    score: Number(row.score),
  };
}

/** The documents whose thread passes `filters`; `verdicts` remembers threads already checked. */
async function keepPassing(
  db: Kysely<LoomDatabase>,
  documents: RankedDocument[],
  filters: ThreadFilters,
  verdicts: Map<string, boolean>,
): Promise<RankedDocument[]> {
  const unknown = [...new Set(documents.map((document) => document.threadId))].filter(
    (threadId) => !verdicts.has(threadId),
  );
  if (unknown.length > 0) {
    const passing = await threadsPassingFilters(db, unknown, filters);
    for (const threadId of unknown) verdicts.set(threadId, passing.has(threadId));
  }
  return documents.filter((document) => verdicts.get(document.threadId) === true);
}
