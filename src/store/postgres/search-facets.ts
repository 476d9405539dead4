/**
 * Thread filters as lexemes. On PostgreSQL each search document also carries its thread's facets
 * (`#status:failed`, `#source:github`, `#repo:<md5>`, `#owner:<md5>`, `#visibility:team`; column
 * `facets`, filled by `loom_thread_facets`, migration 0008), and the GIN index holds them with the
 * words. A filtered search ANDs them into the query, so GIN finds only the matches of passing
 * threads: a filter passing one thread in six no longer reads six times the matches from the heap.
 * The price is on writes: a change of a thread's status, visibility, repository, owner or sources
 * rewrites the facets of all its documents (`refreshFilters`). Owners and repositories are hashed:
 * any length, any character.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ThreadFilters } from '../../threads/index.js';
import type { LoomDatabase } from '../database-schema.js';
import { passesFewThreads } from '../few-threads-filter.js';

/** The SQL body of `loom_thread_facets(thread text) → tsvector`; must name facets as `filterLexemes`. */
export const threadFacetsSql = `
  select coalesce((
    select array_to_tsvector(
      array['#status:' || t.status, '#visibility:' || t.visibility, '#owner:' || md5(t.owner)]
      || case when t.repository is null then array[]::text[] else array['#repo:' || md5(t.repository)] end
      || coalesce(
        (select array_agg(distinct '#source:' || s.kind) from thread_sources s where s.thread_id = t.id),
        array[]::text[]
      )
    )
    from threads t where t.id = thread
  ), ''::tsvector)`;

/** The lexemes a document of a thread passing `filters` carries (all of them must be there). */
export function filterLexemes(filters: ThreadFilters): string[] {
  const lexemes: string[] = [];
  if (filters.status !== undefined) lexemes.push(`#status:${filters.status}`);
  if (filters.visibility !== undefined) lexemes.push(`#visibility:${filters.visibility}`);
  if (filters.owner !== undefined) lexemes.push(`#owner:${md5(filters.owner)}`);
  if (filters.repository !== undefined) lexemes.push(`#repo:${md5(filters.repository)}`);
  if (filters.source !== undefined) lexemes.push(`#source:${filters.source}`);
  return lexemes;
}

/**
 * Which filter lexemes go into the index query and which are checked on each matching row's
 * `facets` instead. Only an owner or repository with few threads is worth matching in the index:
 * GIN must advance through every required lexeme's list, and a broad one (a status, a source kind,
 * a visibility, an owner of most threads) costs ~5 ms per window to advance through (measured:
 * `#source:github` in 680 000 documents), where checking the window's word matches on their rows
 * costs ~1 µs each once read (they are read for `ts_rank` anyway).
 */
export async function splitFilterLexemes(
  db: Kysely<LoomDatabase>,
  filters: ThreadFilters,
): Promise<{ indexed: string[]; checked: string[] }> {
  const indexed: string[] = [];
  const checked = filterLexemes({
    status: filters.status,
    visibility: filters.visibility,
    source: filters.source,
  });
  for (const filter of ['owner', 'repository'] as const) {
    const value = filters[filter];
    if (value === undefined) continue;
    const [lexeme] = filterLexemes({ [filter]: value });
    if (lexeme === undefined) continue;
    if (await passesFewThreads(db, filter, value)) indexed.push(lexeme);
    else checked.push(lexeme);
  }
  return { indexed, checked };
}

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
