import { describe, expect, it } from 'vitest';
import { buildSnippet } from './build-snippet.js';
import { parseSearchQuery } from './search-terms.js';

const marked = (snippet: { text: string; highlights: Array<[number, number]> }) =>
  snippet.highlights.map(([start, end]) => snippet.text.slice(start, end));

describe('buildSnippet', () => {
  it('returns a short text whole, with every match marked', () => {
    const snippet = buildSnippet('Fix the Login test; login again', parseSearchQuery('login'));
    expect(snippet.text).toBe('Fix the Login test; login again');
    expect(marked(snippet)).toEqual(['Login', 'login']);
  });

  it('marks a whole token matched through one of its parts or a prefix', () => {
    expect(marked(buildSnippet('edit src/math.js now', parseSearchQuery('math')))).toEqual(['src/math.js']);
    expect(marked(buildSnippet('commit 1a2b3c4d5e6f done', parseSearchQuery('1a2b3c4')))).toEqual([
      '1a2b3c4d5e6f',
    ]);
  });

  it('cuts a long text around the first match on word boundaries, with ellipses', () => {
    const text = `${'lorem ipsum '.repeat(40)}the needle is here ${'dolor sit '.repeat(40)}`;
    const snippet = buildSnippet(text, parseSearchQuery('needle'), 80);
    expect(snippet.text.startsWith('…')).toBe(true);
    expect(snippet.text.endsWith('…')).toBe(true);
    expect(snippet.text.length).toBeLessThanOrEqual(82);
    expect(marked(snippet)).toEqual(['needle']);
    expect(['lorem', 'ipsum']).toContain(snippet.text.slice(1).split(' ')[0]); // a whole first word
  });

  it('flattens whitespace of tool output and falls back to the start when nothing matches', () => {
    const snippet = buildSnippet('line one\n\n\tline   two', parseSearchQuery('absent'), 200);
    expect(snippet).toEqual({ text: 'line one line two', highlights: [] });
  });
});
