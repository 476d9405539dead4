/**
 * Id windows as lexemes. PostgreSQL's GIN index of the search documents also holds, for each
 * document, the aligned power-of-two id blocks it falls in, from 2^10 to 2^20 ids (`#w12:248` = ids
 * 248·4096 … 249·4096 − 1; migration 0008's `loom_search_window_lexemes`). A search for the newest
 * matches asks for `words & (blocks of the window)`: GIN then walks the small block lists and skips
 * through a frequent word's long one, instead of decoding every match of the word (25 000 matches:
 * 12 ms) to AND it with the window afterwards. Each block named costs an index probe (~0.1 ms), and a
 * window of any width needs at most one block per size. `#` never occurs in a term (see
 * search-terms.ts), so no query can name a block.
 */

import { quoteLexeme } from './quote-lexeme.js';

/** Block sizes as powers of two, smallest first. Must match `loom_search_window_lexemes`. */
export const windowLevels = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20] as const;
const smallestLevel = windowLevels[0];
const largestLevel = windowLevels[windowLevels.length - 1]!;
/** Windows start and end on multiples of the smallest block. */
export const windowAlignment = 2 ** smallestLevel;

/** The SQL body of `loom_search_window_lexemes(id bigint) → tsvector` (migration 0008). */
export const windowLexemesSql = `select array_to_tsvector(array[${windowLevels
  .map((level) => `'#w${level}:' || (id >> ${level})::text`)
  .join(', ')}])`;

/**
 * The blocks that exactly cover ids [lower, upper), both multiples of `windowAlignment`: from `upper`
 * down, each time the largest block that ends there and fits (at most one block of each size on the
 * way up to the largest, and whole largest blocks after).
 */
export function windowBlocks(lower: number, upper: number): string[] {
  if (lower % windowAlignment !== 0 || upper % windowAlignment !== 0 || lower < 0 || upper < lower) {
    throw new RangeError(`window [${lower}, ${upper}) is not aligned to ${windowAlignment}`);
  }
  const blocks: string[] = [];
  let end = upper;
  while (end > lower) {
    let level: number = smallestLevel;
    while (level < largestLevel && end % 2 ** (level + 1) === 0 && end - 2 ** (level + 1) >= lower) {
      level += 1;
    }
    blocks.push(`#w${level}:${end / 2 ** level - 1}`);
    end -= 2 ** level;
  }
  return blocks;
}

/**
 * The tsquery text of `words` restricted to the window [lower, upper) and to documents carrying every
 * lexeme of `required` (a thread's filters, search-facets.ts).
 */
export function windowedQuery(words: string, lower: number, upper: number, required: string[] = []): string {
  const blocks = windowBlocks(lower, upper).map(quoteLexeme);
  return `${unwindowedQuery(words, required)} & (${blocks.join(' | ')})`;
}

/** The tsquery text of `words` for documents carrying every lexeme of `required`, whatever their id. */
export function unwindowedQuery(words: string, required: string[] = []): string {
  return [`(${words})`, ...required.map(quoteLexeme)].join(' & ');
}

/** The smallest multiple of `windowAlignment` above `id`: the exclusive end of the newest window. */
export function windowEndAfter(id: number): number {
  return (Math.floor(id / windowAlignment) + 1) * windowAlignment;
}
