import { sql } from 'kysely';
import { threadFacetsSql } from '../postgres/search-facets.js';
import { windowLexemesSql } from '../postgres/search-window-lexemes.js';
import type { LoomMigration } from './loom-migration.js';

/**
 * PostgreSQL only: the search documents' GIN index also holds each document's id blocks
 * (src/store/postgres/search-window-lexemes.ts) and its thread's filters (search-facets.ts), so a
 * search reads the newest matches of passing threads without decoding every match of a frequent
 * word or reading the matches of other threads. The index is an expression index over
 * `vector || facets || loom_search_window_lexemes(id)`; it replaces the plain one under the same name
 * (with 0006's 64 kB pending list). 0006's BRIN index on the id goes: windows are no longer id
 * ranges. On a large store this migration takes a while (filling `facets` rewrites every document,
 * then the index is built: minutes per million messages on two cores); searches wait meanwhile.
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
    await sql
      .raw(
        `create or replace function loom_thread_facets(thread text) returns tsvector
         language sql stable as $$ ${threadFacetsSql} $$`,
      )
      .execute(db);
    await sql`drop index if exists thread_search_documents_vector`.execute(db);
    await sql`drop index if exists thread_search_documents_id_brin`.execute(db);
    await sql`
      alter table thread_search_documents add column if not exists facets tsvector not null default ''
    `.execute(db);
    await sql`update thread_search_documents set facets = loom_thread_facets(thread_id)`.execute(db);
    await sql`
      create index thread_search_documents_vector on thread_search_documents
      using gin ((vector || facets || loom_search_window_lexemes(id))) with (gin_pending_list_limit = 64)
    `.execute(db);
  },
};
