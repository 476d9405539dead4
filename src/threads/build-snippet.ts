import {
  normalizeForSearch,
  tokenizeText,
  tokenMatches,
  type SearchTerm,
  type TextToken,
} from './search-terms.js';
import type { SearchSnippet } from './thread-types.js';

export const defaultSnippetLength = 200;

/**
 * A short piece of `text` around the first token that matches a query term, with every matching
 * token in it marked. Computed here rather than by the database (FTS5 `snippet`, `ts_headline`) so
 * that both adapters give the same snippet with the same tokenizer as the index, and so the
 * highlights are offsets (safe to render anywhere) rather than markup mixed into untrusted text.
 */
export function buildSnippet(
  text: string,
  terms: SearchTerm[],
  maxLength = defaultSnippetLength,
): SearchSnippet {
  // Whitespace runs (tool output, code) become one space. Offsets come from the normalized text
  // (NFC, lower case), which has the same length except for rare characters whose recomposition or
  // case mapping changes length: those only shift a highlight.
  const flat = text.replace(/\s+/g, ' ').trim();
  const tokens = tokenizeText(normalizeForSearch(flat));
  const matching = tokens.filter((token) => terms.some((term) => tokenMatches(token, term)));
  const first = matching[0];
  const [start, end] =
    first === undefined || flat.length <= maxLength ? [0, maxLength] : windowAround(flat, first, maxLength);
  const sliceEnd = Math.min(end, flat.length);
  const prefix = start > 0 ? '…' : '';
  const suffix = sliceEnd < flat.length ? '…' : '';
  const highlights = matching
    .filter((token) => token.start >= start && token.end <= sliceEnd)
    .map((token): [number, number] => [
      token.start - start + prefix.length,
      token.end - start + prefix.length,
    ]);
  return { text: `${prefix}${flat.slice(start, sliceEnd)}${suffix}`, highlights };
}

/** A window of at most `maxLength` characters starting a little before the token, on a word boundary. */
function windowAround(text: string, token: TextToken, maxLength: number): [number, number] {
  const lead = Math.floor(maxLength / 4);
  let start = Math.max(0, token.start - lead);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    start = space === -1 || space >= token.start ? start : space + 1;
  }
  let end = Math.max(start + maxLength, token.end);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    end = space > token.end ? space : end;
  }
  return [start, end];
}
