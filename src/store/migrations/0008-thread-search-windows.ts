import { sql } from 'kysely';
import { windowLexemesSql } from '../postgres/search-window-lexemes.js';
import type { LoomMigration } from './loom-migration.js';

/**
 * PostgreSQL only: the search documents' GIN index also holds each document's id buckets, so a
 * search reads the newest window of a frequent word without decoding all its matches
 * (src/store/postgres/search-window-lexemes.ts). The index is an expression index over
 * `vector || loom_search_window_lexemes(id)`: the buckets are computed from the id, so rows are not
 * rewritten and writes do not change. It replaces the plain index under the same name (with 0006's
 * 64 kB pending list). On a large store the index build takes a while (about a minute per million
 * messages on two cores); searches are unavailable meanwhile, writes wait. 0006's BRIN index on the
 * id is dropped: windows are no longer id ranges.
 */
export const threadSearchWindows: LoomMigration = {
  async up(db, dialect) {
    if (dialect !== 'postgres') return;
    await sql
      .raw(
        `create or replace function loom_search_window_lexemes(id bigint) returns tsvector
         language sql immutable parallel safe as $$ ${windowLexemesSql} $$`,
      )
      .execute(db);
    await sql`drop index if exists thread_search_documents_vector`.execute(db);
    await sql`drop index if exists thread_search_documents_id_brin`.execute(db);
    await sql`
      create index thread_search_documents_vector on thread_search_documents
      using gin ((vector || loom_search_window_lexemes(id))) with (gin_pending_list_limit = 64)
    `.execute(db);
  },
};
