import { sql } from 'kysely';
import type { LoomMigration } from './loom-migration.js';

/**
 * Search latency at a million messages (specs/threads.md, benchmark); PostgreSQL only, SQLite needs
 * nothing. Both changes apply to existing rows as they are (no backfill) and are idempotent.
 * - A BRIN index on the documents' id: a search reads the newest matches window by window, ANDing
 *   the GIN bitmap with an id range, and a BRIN range costs a few pages where the primary key's
 *   would read one entry per document of the window. Ids grow with insertion, which BRIN needs;
 *   `autosummarize` lets autovacuum summarize new page ranges (unsummarized ranges still match).
 * - The GIN index's pending list (fast update) grows to 4 MB by default and every search reads all
 *   of it: ~500 pages, 3–6 ms per query before any match is found. A 64 kB list keeps inserts
 *   batched and bounds that scan; the list built up so far is merged into the index now.
 */
export const threadSearchTuning: LoomMigration = {
  async up(db, dialect) {
    if (dialect !== 'postgres') return;
    await sql`
      create index if not exists thread_search_documents_id_brin on thread_search_documents
      using brin (id) with (pages_per_range = 16, autosummarize = on)
    `.execute(db);
    await sql`alter index thread_search_documents_vector set (gin_pending_list_limit = 64)`.execute(db);
    await sql`select gin_clean_pending_list('thread_search_documents_vector'::regclass)`.execute(db);
  },
};
