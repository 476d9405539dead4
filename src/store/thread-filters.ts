import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import type { ThreadFilters } from '../threads/index.js';
import type { LoomDatabase } from './database-schema.js';

/** Any query that has the threads table in scope under the alias `t`. */
type ThreadScope = ExpressionBuilder<LoomDatabase & { t: LoomDatabase['threads'] }, 't'>;

/**
 * The WHERE conditions for a thread filter (deleted threads are always excluded), shared by `list`
 * and both search adapters so every listing applies the same rules.
 */
export function threadFilterConditions(eb: ThreadScope, filters: ThreadFilters): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [eb('t.deleted_at', 'is', null)];
  if (filters.owner !== undefined) conditions.push(eb('t.owner', '=', filters.owner));
  if (filters.repository !== undefined) conditions.push(eb('t.repository', '=', filters.repository));
  if (filters.status !== undefined) conditions.push(eb('t.status', '=', filters.status));
  if (filters.visibility !== undefined) conditions.push(eb('t.visibility', '=', filters.visibility));
  if (filters.source !== undefined) {
    const kind = filters.source;
    conditions.push(
      eb.exists(
        eb
          .selectFrom('thread_sources as s')
          .select('s.source_key')
          .whereRef('s.thread_id', '=', 't.id')
          .where('s.kind', '=', kind),
      ),
    );
  }
  return conditions;
}

/**
 * Whether a search must look at the threads table. Without filters it need not: a deleted thread's
 * search documents are removed with it, so every document belongs to a live thread, and the index
 * alone can rank (and cut to the top N) without a join per match.
 */
export function hasThreadFilters(filters: ThreadFilters): boolean {
  return Object.values(filters).some((value) => value !== undefined);
}

/**
 * Which of `threadIds` pass `filters` (live, and every filter). Searches check their candidates'
 * threads with this, once per thread, instead of joining every matching document to `threads`:
 * PostgreSQL otherwise tends to hash all threads (or all sources) for a few hundred matches.
 */
export async function threadsPassingFilters(
  db: Kysely<LoomDatabase>,
  threadIds: readonly string[],
  filters: ThreadFilters,
): Promise<Set<string>> {
  const passing = new Set<string>();
  for (let index = 0; index < threadIds.length; index += idBatchSize) {
    const rows = await db
      .selectFrom('threads as t')
      .select('t.id')
      .where('t.id', 'in', threadIds.slice(index, index + idBatchSize))
      .where((eb) => eb.and(threadFilterConditions(eb, filters)))
      .execute();
    for (const row of rows) passing.add(row.id);
  }
  return passing;
}

/** Ids per `IN (…)` list: well under SQLite's 32 766 bound parameters. */
const idBatchSize = 1000;
