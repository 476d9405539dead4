/**
 * A thread's owner and repository as FTS5 tokens in each of its rows (`_owner_<md5>`,
 * `_repo_<md5>`), SQLite's counterpart of postgres/search-facets.ts, for the filters that pass few
 * threads. ANDed into the MATCH, FTS5 intersects the words' doclists with the facet's and never sees
 * other threads' matches, where joining candidates to their threads walked ~50 matches per result
 * for a repository holding one thread in 50 (p99 36–42 ms on a million messages, 3–5 ms this way).
 *
 * Only small facets go into a MATCH: bm25 counts every phrase's documents over its whole doclist,
 * so a facet in 250 000 rows costs ~10 ms per search (measured), more than checking candidates.
 * Status, visibility and source kind pass a large share of threads: they are columns of the
 * documents (sqlite-document-filters.ts); an owner or a repository with many threads is probed
 * (`passesFewThreads`). The tokenizer keeps `_` inside tokens, and
 * both indexed text and typed queries drop a leading `_` (search-terms.ts), so nothing else can be
 * such a token. Values are hashed: any length, any character. A change of a thread's owner or
 * repository rewrites its rows (`refreshFilters`).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ThreadFilters } from '../../threads/index.js';
import type { LoomDatabase } from '../database-schema.js';
import { passesFewThreads, type OwnerOrRepository } from '../few-threads-filter.js';

export function threadFacetTokens(thread: { owner: string; repository: string | null }): string[] {
  return [
    facetToken('owner', thread.owner),
    ...(thread.repository === null ? [] : [facetToken('repository', thread.repository)]),
  ];
}

export function facetToken(filter: OwnerOrRepository, value: string): string {
  return `_${filter === 'owner' ? 'owner' : 'repo'}_${createHash('md5').update(value, 'utf8').digest('hex')}`;
}

/**
 * The first of the repository and owner filters whose facet is small, as a token, and the filters
 * left to check against the thread rows (cheap once the facet has narrowed the candidates).
 */
export async function splitFacetFilters(
  db: Kysely<LoomDatabase>,
  filters: ThreadFilters,
): Promise<{ facets: string[]; rest: ThreadFilters }> {
  const rest: ThreadFilters = { ...filters };
  const facets: string[] = [];
  for (const filter of ['repository', 'owner'] as const) {
    const value = filters[filter];
    if (value === undefined || !(await passesFewThreads(db, filter, value))) continue;
    facets.push(facetToken(filter, value));
    delete rest[filter];
    break;
  }
  return { facets, rest };
}
