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
import type { ThreadFilters } from '../../threads/index.js';

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

function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}
