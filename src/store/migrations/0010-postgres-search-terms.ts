import { sql } from 'kysely';
import type { LoomMigration } from './loom-migration.js';

/**
 * PostgreSQL only: every term ever indexed, in a btree (`thread_search_terms`), so a prefix query
 * (`abcde*`, an abbreviated commit SHA) can be expanded to the terms it means before it reaches the
 * GIN index (src/store/postgres/expand-prefix-terms.ts): GIN matches a prefix by collecting every
 * item of every matching term, for each window of a search, while exact terms let it skip. Terms of
 * deleted documents stay (an extra term in an expansion matches nothing). Filled here from the
 * indexed documents (`ts_stat`: about a minute per million messages on two cores).
 */
export const postgresSearchTerms: LoomMigration = {
  async up(db, dialect) {
    if (dialect !== 'postgres') return;
    // Byte order ("C"), so `like 'abc%'` is a range scan of the primary key.
    await sql`
      create table if not exists thread_search_terms (term text collate "C" primary key)
    `.execute(db);
    await sql`
      insert into thread_search_terms (term)
      select word from ts_stat('select vector from thread_search_documents')
      on conflict do nothing
    `.execute(db);
  },
};
