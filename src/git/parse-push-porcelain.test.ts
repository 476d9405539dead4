import { describe, expect, it } from 'vitest';
import { parsePushPorcelain } from './parse-push-porcelain.js';

describe('parsePushPorcelain', () => {
  it('tells rejected refs from accepted ones', () => {
    const output = [
      'To http://git.test/acme/web.git',
      '!\tabc:refs/heads/main\t[rejected] (non-fast-forward)',
      '*\tdef:refs/heads/loom/1-x\t[new branch]',
      '=\tdef:refs/heads/loom/2-y\t[up to date]',
      'Done',
    ].join('\n');
    expect(parsePushPorcelain(output)).toEqual({
      rejected: ['refs/heads/main: [rejected] (non-fast-forward)'],
      accepted: ['refs/heads/loom/1-x', 'refs/heads/loom/2-y'],
    });
  });
});
