/** A lexeme in a tsvector or tsquery literal: single-quoted, quotes doubled, backslashes escaped. */
export function quoteLexeme(term: string): string {
  return `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
