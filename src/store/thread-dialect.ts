import type { Kysely } from 'kysely';
import type { SearchTerm, ThreadFilters } from '../threads/index.js';
import type { LoomDatabase } from './database-schema.js';

/**
 * How many of the newest matching documents a search ranks (at least; more when a deep page needs
 * them). Both engines must score every candidate (bm25, ts_rank), so ranking all matches of a
 * frequent word among millions of messages is what makes a search slow (FTS5's own
 * `ORDER BY rank LIMIT` scores every match too: 17 ms for a word in 17 000 of 1 million messages,
 * against 1 ms for the newest candidates); the newest matches of a conversation store are also the
 * likeliest wanted. 300 covers a first page (20 threads × 10 documents) and costs PostgreSQL a heap
 * read each. Matches beyond the cap (older) are not ranked; queries with fewer matches rank them all.
 */
export const searchCandidates = 300;

/** A document to index: a message (`messageSeq`) or the thread itself (`messageSeq: null`). */
export interface SearchDocument {
  threadId: string;
  messageSeq: number | null;
  /** Terms from `indexTerms`, in text order. */
  terms: string[];
}

/** What a thread's search filters are made of. */
export type FilterColumn = 'status' | 'visibility' | 'repository' | 'owner' | 'sources';

/** One matching document, best first; `score` is higher for better matches. */
export interface SearchDocumentHit {
  threadId: string;
  messageSeq: number | null;
  score: number;
}

/**
 * The dialect-specific half of the threads repository: full-text search (SQLite FTS5, PostgreSQL
 * tsvector + GIN) and how a write transaction is run. Index writes take the transaction they belong
 * to, so a message and its search document commit together.
 */
export interface ThreadDialect {
  /**
   * How many documents a search asks for: `documentsPerThread` per thread wanted (a thread with many
   * matching messages uses several), at least `minDocuments`; four times as many when those held
   * too few threads. PostgreSQL asks for few (each is a heap read), SQLite can afford more.
   */
  readonly searchBreadth: { documentsPerThread: number; minDocuments: number };
  /** Runs `work` in one transaction (see the SQLite implementation for why that is not trivial). */
  transaction<T>(db: Kysely<LoomDatabase>, work: (trx: Kysely<LoomDatabase>) => Promise<T>): Promise<T>;
  insertDocuments(db: Kysely<LoomDatabase>, documents: SearchDocument[]): Promise<void>;
  /**
   * After a change of a thread's status, visibility, repository, owner or sources (`changed`): brings
   * what its documents record of them up to date. PostgreSQL rewrites their facets column; SQLite
   * rewrites their FTS rows when the owner or repository changed, from `currentDocuments` (the
   * thread's documents rebuilt from its stored row and messages: contentless rows cannot be read back).
   */
  refreshFilters(
    db: Kysely<LoomDatabase>,
    threadId: string,
    changed: ReadonlySet<FilterColumn>,
    currentDocuments: () => Promise<SearchDocument[]>,
  ): Promise<void>;
  /** Removes a thread's documents: only its own document (`'thread'`) or all of them. */
  removeDocuments(db: Kysely<LoomDatabase>, threadId: string, which: 'thread' | 'all'): Promise<void>;
  /**
   * Matching documents of threads that pass `filters`: the newest `max(limit, searchCandidates)`
   * ranked by relevance, best first, at most `limit`.
   */
  queryDocuments(
    db: Kysely<LoomDatabase>,
    terms: SearchTerm[],
    filters: ThreadFilters,
    limit: number,
  ): Promise<SearchDocumentHit[]>;
}
