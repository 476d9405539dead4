/**
 * What SQLite search documents record of their thread's filters, so that a filtered search never
 * joins the threads table: the owner and repository as facet tokens in the FTS row
 * (sqlite-search-facets.ts), and status, visibility and source kinds as columns of
 * `thread_search_documents` (migration 0009), checked on the document row each candidate is already
 * joined to. Checking them on the thread instead cost two more B-tree reads per candidate (the thread
 * and an EXISTS over its sources), and a status + source filter walks ~6 candidates per result.
 */
import type { Expression, ExpressionBuilder, Kysely, SqlBool } from 'kysely';
import { threadSourceKinds, type ThreadFilters, type ThreadSourceKind } from '../../threads/index.js';
import type { LoomDatabase } from '../database-schema.js';
import { threadFacetTokens } from './sqlite-search-facets.js';

/** The columns 0009 adds to `thread_search_documents` on SQLite only. */
export interface DocumentFilterColumns {
  thread_status: string;
  thread_visibility: string;
  /** One bit per source kind the thread has (`sourceKindBit`). */
  source_kinds: number;
}

export type SqliteDocumentTables = {
  thread_search_documents: LoomDatabase['thread_search_documents'] & DocumentFilterColumns;
};

/** What one thread's documents carry: the columns, and the facets that end each FTS row. */
export interface ThreadSearchFilters {
  columns: DocumentFilterColumns;
  facets: string;
}

export function sourceKindBit(kind: ThreadSourceKind | string): number {
  const index = threadSourceKinds.indexOf(kind as ThreadSourceKind);
  return index < 0 ? 0 : 1 << index;
}

/** The filters of each of `threadIds` as their documents record them (two queries). */
export async function readThreadSearchFilters(
  db: Kysely<LoomDatabase>,
  threadIds: readonly string[],
): Promise<Map<string, ThreadSearchFilters>> {
  const ids = [...new Set(threadIds)];
  if (ids.length === 0) return new Map();
  const [threads, sources] = await Promise.all([
    db
      .selectFrom('threads')
      .select(['id', 'owner', 'repository', 'status', 'visibility'])
      .where('id', 'in', ids)
      .execute(),
    db.selectFrom('thread_sources').select(['thread_id', 'kind']).where('thread_id', 'in', ids).execute(),
  ]);
  const kinds = new Map<string, number>();
  for (const source of sources) {
    kinds.set(source.thread_id, (kinds.get(source.thread_id) ?? 0) | sourceKindBit(source.kind));
  }
  return new Map(
    threads.map((thread) => [
      thread.id,
      {
        columns: {
          thread_status: thread.status,
          thread_visibility: thread.visibility,
          source_kinds: kinds.get(thread.id) ?? 0,
        },
        facets: threadFacetTokens(thread).join(' '),
      },
    ]),
  );
}

/** Conditions on the document row `d` for the status, visibility and source filters. */
export function documentFilterConditions(
  eb: ExpressionBuilder<{ d: SqliteDocumentTables['thread_search_documents'] }, 'd'>,
  filters: ThreadFilters,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filters.status !== undefined) conditions.push(eb('d.thread_status', '=', filters.status));
  if (filters.visibility !== undefined) conditions.push(eb('d.thread_visibility', '=', filters.visibility));
  if (filters.source !== undefined) {
    conditions.push(eb(eb('d.source_kinds', '&', sourceKindBit(filters.source)), '!=', 0));
  }
  return conditions;
}
