import { describe, expect, it } from 'vitest';
import { chooseBranch } from './import-git-bundle.js';

describe('chooseBranch', () => {
  it('prefers the branch HEAD points at', () => {
    const heads = [
      { sha: 'a', ref: 'refs/heads/main' },
      { sha: 'b', ref: 'refs/heads/loom/12-fix' },
      { sha: 'b', ref: 'HEAD' },
    ];
    expect(chooseBranch(heads)).toBe('loom/12-fix');
  });

  it('falls back to main, then to the first branch, then to none', () => {
    expect(
      chooseBranch([
        { sha: 'a', ref: 'refs/heads/dev' },
        { sha: 'b', ref: 'refs/heads/main' },
      ]),
    ).toBe('main');
    expect(chooseBranch([{ sha: 'a', ref: 'refs/heads/dev' }])).toBe('dev');
    expect(chooseBranch([{ sha: 'a', ref: 'HEAD' }])).toBeUndefined();
  });
});
