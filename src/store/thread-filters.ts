import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { ThreadFilters } from '../threads/index.js';
import type { LoomDatabase } from './database-schema.js';

/** Any query that has the threads table in scope under the alias `t`. */
type ThreadScope = ExpressionBuilder<LoomDatabase & { t: LoomDatabase['threads'] }, 't'>;

/**
 * The WHERE conditions for a thread filter (deleted threads are always excluded), shared by `list`
 * and SQLite's search (an owner or repository of many threads) so both apply the same rules.
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
