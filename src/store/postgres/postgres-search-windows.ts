import { sql, type Kysely } from 'kysely';
import type { ThreadFilters } from '../../threads/index.js';
import type { LoomDatabase } from '../database-schema.js';
import { splitFilterLexemes } from './search-facets.js';
import { quoteLexeme } from './quote-lexeme.js';
import { unwindowedQuery, windowAlignment, windowedQuery, windowEndAfter } from './search-window-lexemes.js';

/** The documents table with its PostgreSQL-only column. */
export type VectorTables = {
  thread_search_documents: { vector: string; facets: string };
};

/** A matching document with its relevance (`ts_rank`). */
export interface RankedDocument {
  id: number;
  threadId: string;
  messageSeq: number | null;
  score: number;
}

/** Documents (ids) in the newest window; later windows are sized from its share of matches. */
const firstWindow = 2 * windowAlignment;
/** A later window is this much wider than the matches seen so far suggest, so one usually suffices. */
const windowMargin = 1.25;
/** A window is at most this many times as wide as the one before. */
const maxGrowth = 50;
/** `ts_rank` normalization 1: divide by 1 + log(document length), like bm25's length penalty. */
const rankNormalization = 1;

/**
 * The GIN index's expression (migration 0008): the document's terms, its thread's filters
 * (search-facets.ts) and its id blocks (search-window-lexemes.ts). A query must spell it exactly like
 * this for PostgreSQL to use the index.
 */
const indexedVector = sql`(d.vector || d.facets || loom_search_window_lexemes(d.id))`;

/**
 * The newest `wanted` documents matching `words` (a tsquery text) of threads passing `filters`,
 * newest first, each ranked. GIN returns matches in no useful order and cannot stop early, and
 * reading every match of a frequent word to keep the newest few is what made searches slow: each
 * match is a heap read, tens of µs when its page was not read lately. So the documents are read
 * window by window, newest first, each window being `words & (its id blocks)` in the index, with an
 * owner or repository of few threads ANDed in: GIN walks the short lists and skips through the long
 * ones. Broad filters (status, visibility, source, a large owner) are checked on the rows found
 * (`splitFilterLexemes`); the window sizing counts passing rows only. The first window is small;
 * the share of matches seen so far sizes the next to hold the candidates still wanted (at most `maxGrowth` times wider), so a frequent word
 * takes one or two windows and a rare one three. No ORDER BY / LIMIT in SQL: with them the planner
 * walks the primary key and reads every row.
 */
export async function newestRankedDocuments(
  db: Kysely<LoomDatabase>,
  /** The query as typed (ranking) and as the index is asked (prefixes expanded, same matches). */
  words: { ranked: string; indexed: string },
  filters: ThreadFilters,
  wanted: number,
): Promise<RankedDocument[]> {
  const { indexed, checked } = await splitFilterLexemes(db, filters);
  const checkedQuery = checked.map(quoteLexeme).join(' & ');
  const typed = db.withTables<VectorTables>();
  const newest = await typed
    .selectFrom('thread_search_documents')
    .select(sql<string | null>`max(id)`.as('id'))
    .executeTakeFirst();
  if (newest?.id === null || newest?.id === undefined) return [];
  const candidates: RankedDocument[] = [];
  let upper = windowEndAfter(Number(newest.id));
  let width = firstWindow;
  let scanned = 0;
  while (upper > 0 && candidates.length < wanted) {
    const lower = windowStart(upper, width);
    // The oldest window, [0, upper), is every id not read yet: the index is asked for the words alone
    // and the bound is checked on the rows found (`+ 0`: not a range the planner could turn into a
    // bitmap of the primary key). Its blocks would span half the ids or more, and GIN checks each
    // match against those long lists (the last window of a two-word search: 509 index pages and
    // 9 ms, against 16 pages and 0.9 ms without). Rows it finds above `upper` were read before.
    const oldest = lower === 0;
    const indexQuery = oldest
      ? unwindowedQuery(words.indexed, indexed)
      : windowedQuery(words.indexed, lower, upper, indexed);
    const rows = await typed
      .selectFrom('thread_search_documents as d')
      .select([
        'd.id',
        'd.thread_id',
        'd.message_seq',
        sql<number>`ts_rank(d.vector, ${words.ranked}::tsquery, ${sql.lit(rankNormalization)})`.as('score'),
      ])
      // The window is in the query, not an `id` range: PostgreSQL would AND a bitmap of the range.
      .where(sql<boolean>`${indexedVector} @@ ${indexQuery}::tsquery`)
      .$if(oldest, (query) => query.where(sql<boolean>`d.id + 0 < ${upper}`))
      // Broad filters are checked on the rows the index found (not the indexed expression: no index use).
      .$if(checkedQuery !== '', (query) => query.where(sql<boolean>`d.facets @@ ${checkedQuery}::tsquery`))
      .execute();
    candidates.push(...rows.map(toRanked).sort((a, b) => b.id - a.id));
    scanned += upper - lower;
    upper = lower;
    width = nextWidth(width, scanned, candidates.length, wanted);
  }
  return candidates.slice(0, wanted);
}

/**
 * The next window: wide enough to hold the candidates still wanted at the density seen so far (with
 * a margin), at most `maxGrowth` times the last one, so a sparse start does not jump to reading every
 * match of a word whose newest ones were just out of reach. Each window costs an index probe; each
 * match read costs a heap read, which is what a search pays for (tens of µs when not cached).
 */
function nextWidth(last: number, scanned: number, found: number, wanted: number): number {
  const density = found / scanned;
  const needed = density === 0 ? Number.POSITIVE_INFINITY : ((wanted - found) / density) * windowMargin;
  return Math.max(windowAlignment, Math.min(needed, last * maxGrowth));
}

/**
 * Where a window of about `width` ids ending at `upper` starts: rounded down to a multiple of the
 * largest power of two that is at most an eighth of the width (≤ 12.5 % wider), so the window is a
 * few blocks rather than one of each size down from the largest.
 */
function windowStart(upper: number, width: number): number {
  const start = upper - Math.max(windowAlignment, width);
  if (start <= 0) return 0;
  const step = Math.max(windowAlignment, 2 ** Math.floor(Math.log2(width / 8)));
  return Math.floor(start / step) * step;
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
