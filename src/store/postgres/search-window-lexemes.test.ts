import { describe, expect, it } from 'vitest';
import {
  unwindowedQuery,
  windowAlignment,
  windowBlocks,
  windowedQuery,
  windowEndAfter,
  windowLevels,
} from './search-window-lexemes.js';

/** The ids a block lexeme names: `#w12:3` = [3·4096, 4·4096). */
function idsOf(block: string): [number, number] {
  const match = /^#w(\d+):(\d+)$/.exec(block);
  if (match === null) throw new Error(`not a block: ${block}`);
  const size = 2 ** Number(match[1]);
  return [Number(match[2]) * size, (Number(match[2]) + 1) * size];
}

describe('search window blocks', () => {
  it('cover a window exactly, without overlap, with at most two blocks of each size', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    for (let trial = 0; trial < 2000; trial += 1) {
      const upper = Math.ceil(random() * 3000) * windowAlignment;
      const lower = Math.floor(random() * (upper / windowAlignment)) * windowAlignment;
      const ranges = windowBlocks(lower, upper)
        .map(idsOf)
        .sort((a, b) => a[0] - b[0]);
      let next = lower;
      for (const [start, end] of ranges) {
        expect(start).toBe(next);
        next = end;
      }
      expect(next).toBe(upper);
      const sizes = ranges.map(([start, end]) => end - start);
      for (const level of windowLevels) {
        expect(sizes.filter((size) => size === 2 ** level).length).toBeLessThanOrEqual(
          level === windowLevels[windowLevels.length - 1] ? Infinity : 2,
        );
      }
    }
  });

  it('names a whole aligned block with one lexeme', () => {
    expect(windowBlocks(4096, 8192)).toEqual(['#w12:1']);
    expect(windowBlocks(0, 2 ** 20)).toEqual(['#w20:0']);
    expect(windowBlocks(5 * 1024, 7 * 1024)).toEqual(['#w10:6', '#w10:5']);
    expect(windowBlocks(0, 0)).toEqual([]);
  });

  it('refuses windows that are not aligned', () => {
    expect(() => windowBlocks(1, 2048)).toThrow(RangeError);
    expect(() => windowBlocks(2048, 1024)).toThrow(RangeError);
  });

  it('restricts the words to the window, and ends the newest window after the newest id', () => {
    expect(windowedQuery(`'deploy' & 'fail':*`, 0, 2048)).toBe(`('deploy' & 'fail':*) & ('#w11:0')`);
    expect(windowedQuery(`'deploy'`, 0, 2048, ['#repo:ab'])).toBe(`('deploy') & '#repo:ab' & ('#w11:0')`);
    expect(unwindowedQuery(`'deploy'`, ['#repo:ab'])).toBe(`('deploy') & '#repo:ab'`);
    expect(windowEndAfter(0)).toBe(1024);
    expect(windowEndAfter(1023)).toBe(1024);
    expect(windowEndAfter(1024)).toBe(2048);
  });
});
