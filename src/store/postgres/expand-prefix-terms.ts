/**
 * A search's terms as the tsquery the GIN index is asked, with each prefix term replaced by the
 * terms it stands for (`'abcde':*` → `('abcdef' | 'abcdeg')`), read from `thread_search_terms`
 * (migration 0010; every indexed term). GIN answers a prefix by collecting every item of every
 * matching term into a bitmap, again for each window of a search (postgres-search-windows.ts), and
 * cannot skip through it; exact terms are walked only where the window's blocks are. A prefix that
 * stands for more than `maxExpansion` terms keeps its `:*` (a long OR costs an index probe per term
 * and window). Ranking still uses the query as typed; both match the same documents.
 */
import { sql, type Kysely } from 'kysely';
import type { SearchTerm } from '../../threads/index.js';
import type { LoomDatabase } from '../database-schema.js';
import { quoteLexeme } from './quote-lexeme.js';

export const maxExpansion = 32;

/** The index query, or `undefined` when a prefix stands for no indexed term (nothing can match). */
export async function expandPrefixTerms(
  db: Kysely<LoomDatabase>,
  terms: SearchTerm[],
): Promise<string | undefined> {
  const parts: string[] = [];
  for (const term of terms) {
    if (!term.prefix) {
      parts.push(quoteLexeme(term.text));
      continue;
    }
    const matches = await sql<{ term: string }>`
      select term from thread_search_terms
      where term like ${likePrefix(term.text)} escape '\\'
      order by term limit ${maxExpansion + 1}
    `.execute(db);
    if (matches.rows.length === 0) return undefined;
    parts.push(
      matches.rows.length > maxExpansion
        ? `${quoteLexeme(term.text)}:*`
        : `(${matches.rows.map((row) => quoteLexeme(row.term)).join(' | ')})`,
    );
  }
  return parts.join(' & ');
}

/** `abc%` with the pattern characters of `text` escaped. */
function likePrefix(text: string): string {
  return `${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
