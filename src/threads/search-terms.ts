/**
 * Loom's one tokenizer for full-text search, shared by both store adapters and the snippets. Tokens
 * keep `.`, `-`, `/` and `_` inside them, so `feature/x`, `src/math.js` and `snake_case` stay whole;
 * punctuation at a token's edges is dropped (`done.` is `done`, `./src/a.js` is `src/a.js`). Each
 * compound token is also indexed by its parts (`src/math.js` → `src`, `math.js`, `math`, `js`), so a
 * search for `math` finds it. Doing this in one place (rather than in SQLite's unicode61 and
 * PostgreSQL's parser, which split differently) makes both adapters match the same documents.
 */

/** Letters, digits, marks and the four joiners; everything else separates tokens. */
const tokenPattern = /[\p{L}\p{N}\p{M}._\-/]+/gu;
const queryTokenPattern = /([\p{L}\p{N}\p{M}._\-/]+)(\*?)/gu;
const edgePunctuation = /^[._\-/]+|[._\-/]+$/g;
/** Longer tokens (base64 blobs, minified code) are not worth indexing and exceed PostgreSQL's limits. */
export const maxTermLength = 128;
/** Text beyond this many characters of one document is not indexed (huge tool outputs). */
export const maxIndexedChars = 32_000;
const maxQueryTerms = 16;
/** An abbreviated commit SHA (git prints 7+ hex digits) is searched as a prefix of the full SHA. */
const abbreviatedShaPattern = /^(?=[0-9a-f]*\d)[0-9a-f]{7,39}$/;

export interface SearchTerm {
  text: string;
  /** Matches every indexed term that starts with `text`. */
  prefix: boolean;
}

/** A token of a text with its place in that text, for highlighting. */
export interface TextToken {
  /** The normalized token followed by its parts, deduplicated. */
  terms: string[];
  start: number;
  end: number;
}

/** NFC and lower case: the same form on the way into the index and in queries. */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/**
 * The tokens of `text` (already normalized), each with its searchable terms. Offsets refer to `text`
 * and cover the token without its edge punctuation.
 */
export function tokenizeText(text: string): TextToken[] {
  const tokens: TextToken[] = [];
  for (const match of text.matchAll(tokenPattern)) {
    const raw = match[0];
    const leading = raw.length - raw.replace(/^[._\-/]+/, '').length;
    const token = raw.replace(edgePunctuation, '');
    if (token === '' || token.length > maxTermLength) continue;
    const start = match.index + leading;
    tokens.push({ terms: termsOfToken(token), start, end: start + token.length });
  }
  return tokens;
}

/** The terms to index for a document, in text order (whole tokens followed by their parts). */
export function indexTerms(text: string): string[] {
  const normalized = normalizeForSearch(text.slice(0, maxIndexedChars));
  return tokenizeText(normalized).flatMap((token) => token.terms);
}

/**
 * The terms of a query: whole tokens (not split into parts: `src/math.js` must match that path),
 * AND-ed. A trailing `*` asks for a prefix match; an abbreviated commit SHA is one implicitly.
 */
export function parseSearchQuery(query: string): SearchTerm[] {
  const terms = new Map<string, SearchTerm>();
  for (const match of normalizeForSearch(query).matchAll(queryTokenPattern)) {
    const text = (match[1] ?? '').replace(edgePunctuation, '');
    if (text === '' || text.length > maxTermLength) continue;
    const prefix = match[2] === '*' || abbreviatedShaPattern.test(text);
    const existing = terms.get(text);
    terms.set(text, { text, prefix: prefix || (existing?.prefix ?? false) });
    if (terms.size >= maxQueryTerms) break;
  }
  return [...terms.values()];
}

/** Whether one token of a text satisfies a query term. */
export function tokenMatches(token: TextToken, term: SearchTerm): boolean {
  return token.terms.some((candidate) =>
    term.prefix ? candidate.startsWith(term.text) : candidate === term.text,
  );
}

function termsOfToken(token: string): string[] {
  if (!/[._\-/]/.test(token)) return [token];
  const segments = token.includes('/') ? token.split('/') : [];
  const words = token.split(/[._\-/]+/);
  const parts = [...segments, ...words]
    .map((part) => part.replace(edgePunctuation, ''))
    .filter((part) => part !== '' && part !== token);
  return [token, ...new Set(parts)];
}
