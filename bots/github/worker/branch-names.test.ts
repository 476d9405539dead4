import { describe, expect, it } from 'vitest';
import { isSafeBranchName } from '../../../src/git/index.js';
import { shortSlug, wipBranchName, workBranchName, workBranchPrefix } from './branch-names.js';

describe('branch names', () => {
  it('names work and WIP branches loom/{n}-{slug} and loom/wip/{n}-{slug}', () => {
    expect(workBranchName(12, 'Sum returns the wrong result!')).toBe('loom/12-sum-returns-the-wrong-result');
    expect(wipBranchName(12, 'Sum returns the wrong result!')).toBe(
      'loom/wip/12-sum-returns-the-wrong-result',
    );
    expect(workBranchName(12, 'x').startsWith(workBranchPrefix(12))).toBe(true);
  });

  it('keeps slugs short, ASCII and never empty', () => {
    expect(shortSlug('Crème brûlée: fix the über-test')).toBe('creme-brulee-fix-the-uber-test');
    expect(shortSlug('a very long title that goes on and on and on about many things')).toBe(
      'a-very-long-title-that-goes-on-and-on',
    );
    expect(shortSlug('🔥🔥')).toBe('task');
    expect(shortSlug('x'.repeat(80))).toHaveLength(40);
  });

  it('always produces names git accepts, whatever the title', () => {
    for (const title of ['..', '-rf /', 'a.lock', 'feature//x', 'tab\there', '@{u}', '~^:?*[\\']) {
      expect(isSafeBranchName(workBranchName(3, title))).toBe(true);
      expect(isSafeBranchName(wipBranchName(3, title))).toBe(true);
    }
  });
});
