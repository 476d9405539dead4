import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSafeBranchName, mirrorPath } from './mirror-path.js';

describe('mirrorPath', () => {
  it('places a mirror under the root and refuses names that escape it', () => {
    expect(mirrorPath('/data/mirrors', 'acme', 'web')).toBe(path.join('/data/mirrors', 'acme', 'web.git'));
    expect(mirrorPath('/data/mirrors', 'acme', 'web.git')).toBe(
      path.join('/data/mirrors', 'acme', 'web.git'),
    );
    for (const [owner, repo] of [
      ['..', 'x'],
      ['acme', '../x'],
      ['a/b', 'c'],
      ['-x', 'y'],
    ] as const) {
      expect(() => mirrorPath('/data', owner, repo)).toThrow();
    }
  });
});

describe('isSafeBranchName', () => {
  it('accepts ordinary branches and refuses what git would not', () => {
    for (const ok of ['main', 'loom/12-fix-sum', 'feature/faster-sum', 'release-1.2'])
      expect(isSafeBranchName(ok)).toBe(true);
    for (const bad of [
      '',
      '-f',
      'a..b',
      'a b',
      'x.lock',
      'a//b',
      'a/',
      '.hidden',
      'a/.b',
      'a~1',
      'a^',
      'a:b',
      '@{u}',
      'a\u0001b',
    ]) {
      expect(isSafeBranchName(bad)).toBe(false);
    }
  });
});
