/**
 * Thread filters as FTS5 tokens, SQLite's counterpart of postgres/search-facets.ts. Each FTS row
 * ends with its thread's facets (`_status_failed`, `_visibility_team`, `_source_github`,
 * `_owner_<md5>`, `_repo_<md5>`), and a filtered search ANDs them into the MATCH: FTS5 intersects
 * the word's doclist with the facets' and never looks at other threads' matches, where joining each
 * candidate to its thread walked ~50 matches per result for a filter passing one thread in 50.
 * The tokenizer keeps `_` inside tokens, and the query tokenizer drops a leading `_`
 * (search-terms.ts), so a typed query can never name a facet. Owners and repositories are hashed:
 * any length, any character. A change of a thread's filters rewrites its FTS rows (`refreshFilters`).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ThreadFilters } from '../../threads/index.js';
import type { LoomDatabase } from '../database-schema.js';

/** What a thread's facets are made of. */
export interface FacetSource {
  status: string;
  visibility: string;
  owner: string;
  repository: string | null;
  sourceKinds: readonly string[];
}

export function threadFacetTokens(thread: FacetSource): string[] {
  return [
    `_status_${thread.status}`,
    `_visibility_${thread.visibility}`,
    `_owner_${md5(thread.owner)}`,
    ...(thread.repository === null ? [] : [`_repo_${md5(thread.repository)}`]),
    ...[...new Set(thread.sourceKinds)].map((kind) => `_source_${kind}`),
  ];
}

/** The facet tokens a document of a thread passing `filters` carries (all of them must be there). */
export function filterFacetTokens(filters: ThreadFilters): string[] {
  const tokens: string[] = [];
  if (filters.status !== undefined) tokens.push(`_status_${filters.status}`);
  if (filters.visibility !== undefined) tokens.push(`_visibility_${filters.visibility}`);
  if (filters.owner !== undefined) tokens.push(`_owner_${md5(filters.owner)}`);
  if (filters.repository !== undefined) tokens.push(`_repo_${md5(filters.repository)}`);
  if (filters.source !== undefined) tokens.push(`_source_${filters.source}`);
  return tokens;
}

/** The facets of each of `threadIds`, as text to append to an FTS row (one query each for threads and sources). */
export async function readThreadFacets(
  db: Kysely<LoomDatabase>,
  threadIds: readonly string[],
): Promise<Map<string, string>> {
  const ids = [...new Set(threadIds)];
  if (ids.length === 0) return new Map();
  const [threads, sources] = await Promise.all([
    db
      .selectFrom('threads')
      .select(['id', 'status', 'visibility', 'owner', 'repository'])
      .where('id', 'in', ids)
      .execute(),
    db.selectFrom('thread_sources').select(['thread_id', 'kind']).where('thread_id', 'in', ids).execute(),
  ]);
  const kinds = new Map<string, string[]>();
  for (const source of sources)
    kinds.set(source.thread_id, [...(kinds.get(source.thread_id) ?? []), source.kind]);
  return new Map(
    threads.map((thread) => [
      thread.id,
      threadFacetTokens({ ...thread, sourceKinds: kinds.get(thread.id) ?? [] }).join(' '),
    ]),
  );
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
