/**
 * Whether an owner or repository filter passes few threads. Both adapters put such a filter into
 * the full-text index query (a facet token or lexeme next to the words) only when it does: the
 * index then walks its short list instead of checking candidates that mostly fail. A value with many
 * threads is checked on each candidate instead, as the broad filters (status, visibility, source)
 * always are: the index pays for a long facet list on every search (SQLite's bm25 counts its whole
 * doclist, ~11 ms for 250 000 rows; PostgreSQL's GIN advances through it, ~5 ms per window for
 * 680 000), more than reading the few extra candidates costs.
 */
import { sql, type Kysely } from 'kysely';
import type { LoomDatabase } from './database-schema.js';

/** The filters that can be small. */
export type OwnerOrRepository = 'owner' | 'repository';

/** At most this many live threads, holding at most this many messages, make a filter "few". */
export const maxFewThreads = 500;
export const maxFewThreadMessages = 50_000;

/** Reads at most `maxFewThreads + 1` rows (the threads table has an index on each column). */
export async function passesFewThreads(
  db: Kysely<LoomDatabase>,
  filter: OwnerOrRepository,
  value: string,
): Promise<boolean> {
  const { rows } = await sql<{ threads: number | string; messages: number | string | null }>`
    select count(*) as threads, sum(message_count) as messages from (
      select message_count from threads
      where ${sql.ref(filter)} = ${value} and deleted_at is null
      limit ${maxFewThreads + 1}
    ) as few`.execute(db);
  const counted = rows[0];
  return (
    counted !== undefined &&
    Number(counted.threads) <= maxFewThreads &&
    Number(counted.messages ?? 0) <= maxFewThreadMessages
  );
}
