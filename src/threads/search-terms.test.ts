import { describe, expect, it } from 'vitest';
import { indexTerms, maxIndexedChars, parseSearchQuery, tokenizeText } from './search-terms.js';

describe('indexTerms', () => {
  it('keeps paths and branches whole and adds their parts', () => {
    expect(indexTerms('Edit src/math.js on feature/x')).toEqual([
      'edit',
      'src/math.js',
      'src',
      'math.js',
      'math',
      'js',
      'on',
      'feature/x',
      'feature',
      'x',
    ]);
  });

  it('drops punctuation at token edges so sentence ends and relative paths still match', () => {
    expect(indexTerms('Done. See ./lib/a_b.ts, (--force)')).toEqual([
      'done',
      'see',
      'lib/a_b.ts',
      'lib',
      'a_b.ts',
      'a',
      'b',
      'ts',
      'force',
    ]);
  });

  it('lower-cases, keeps accents and digits, and splits on everything else', () => {
    expect(indexTerms('Café RÉSUMÉ x=42;y:"snake_case"')).toEqual([
      'café',
      'résumé',
      'x',
      '42',
      'y',
      'snake_case',
      'snake',
      'case',
    ]);
  });

  it('normalizes decomposed accents to the composed form the query uses', () => {
    expect(indexTerms('cafe\u0301')).toEqual(['café']);
  });

  it('skips tokens too long to be words and text beyond the indexed length', () => {
    expect(indexTerms(`a ${'x'.repeat(200)} b`)).toEqual(['a', 'b']);
    expect(indexTerms(`${'word '.repeat(maxIndexedChars / 5)}tail`)).not.toContain('tail');
  });
});

describe('parseSearchQuery', () => {
  it('keeps whole tokens, AND-ed, without adding parts', () => {
    expect(parseSearchQuery('Flaky src/math.js')).toEqual([
      { text: 'flaky', prefix: false },
      { text: 'src/math.js', prefix: false },
    ]);
  });

  it('treats a trailing * and an abbreviated commit SHA as prefixes', () => {
    expect(parseSearchQuery('logi* 1a2b3c4 deadbeef 2024')).toEqual([
      { text: 'logi', prefix: true },
      { text: '1a2b3c4', prefix: true },
      { text: 'deadbeef', prefix: false },
      { text: '2024', prefix: false },
    ]);
  });

  it('ignores punctuation-only input and duplicate terms', () => {
    expect(parseSearchQuery(' "" -- ... ')).toEqual([]);
    expect(parseSearchQuery('a A a*')).toEqual([{ text: 'a', prefix: true }]);
  });

  it('never passes query syntax through: quotes and operators are separators', () => {
    expect(parseSearchQuery('"x" OR y NEAR(z)').map((term) => term.text)).toEqual([
      'x',
      'or',
      'y',
      'near',
      'z',
    ]);
  });
});

describe('tokenizeText', () => {
  it('reports where each token sits in the text, edge punctuation excluded', () => {
    const text = 'see (./a.js).';
    const [, token] = tokenizeText(text);
    expect(token).toMatchObject({ terms: ['a.js', 'a', 'js'] });
    expect(text.slice(token!.start, token!.end)).toBe('a.js');
  });
});
