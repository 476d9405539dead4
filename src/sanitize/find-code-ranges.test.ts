import { describe, expect, it } from 'vitest';
import { findCodeRanges, isInRanges } from './find-code-ranges.js';

function codeOf(text: string): string[] {
  return findCodeRanges(text).map((range) => text.slice(range.start, range.end));
}

describe('findCodeRanges', () => {
  it('finds code spans of any backtick length', () => {
    expect(codeOf('a `b` c ``d ` e`` f')).toEqual(['`b`', '``d ` e``']);
  });

  it('finds a fenced block with its fences, and an unclosed one to the end', () => {
    expect(codeOf('x\n```js\ncode\n```\ny')).toEqual(['```js\ncode\n```\n']);
    expect(codeOf('x\n~~~\nopen')).toEqual(['~~~\nopen']);
  });

  it('lets a code span run over a plain continuation line but not into a new block', () => {
    expect(codeOf('`a\nb`')).toEqual(['`a\nb`']);
    expect(codeOf('`a\n# b`')).toEqual([]);
  });

  it('finds nothing inside an HTML block until its blank line or end marker', () => {
    expect(codeOf('<div>\n`x`\n\n`y`')).toEqual(['`y`']);
    expect(codeOf('<script>\n\n`x`\n</script>\n\n`y`')).toEqual(['`y`']);
  });

  it('ignores an unmatched backtick run and an escaped backtick', () => {
    expect(codeOf('a `` b ` c')).toEqual([]);
    expect(codeOf('\\`a` b')).toEqual([]);
  });
});

describe('isInRanges', () => {
  it('tells whether an offset lies in one of the sorted ranges', () => {
    const ranges = [
      { start: 2, end: 4 },
      { start: 10, end: 12 },
    ];
    expect([1, 2, 3, 4, 9, 10, 11, 12].map((index) => isInRanges(ranges, index))).toEqual([
      false,
      true,
      true,
      false,
      false,
      true,
      true,
      false,
    ]);
  });
});
