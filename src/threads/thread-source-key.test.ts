import { describe, expect, it } from 'vitest';
import { isThreadId, newThreadId } from './new-thread-id.js';
import { threadSourceKey, threadSourceRepository } from './thread-source-key.js';

describe('threadSourceKey', () => {
  it('gives one key per conversation place, GitHub names case-insensitive', () => {
    expect(threadSourceKey({ kind: 'slack', teamId: 'T1', channelId: 'C2', threadTs: '1712.0001' })).toBe(
      'slack:T1/C2/1712.0001',
    );
    expect(threadSourceKey({ kind: 'github', repository: 'Acme/Web', number: 12, type: 'issue' })).toBe(
      threadSourceKey({ kind: 'github', repository: 'acme/web', number: 12, type: 'pull_request' }),
    );
    expect(threadSourceKey({ kind: 'chore', repository: 'acme/web', chore: 'deps' })).toBe(
      'chore:acme/web/deps',
    );
    expect(threadSourceKey({ kind: 'cli', session: 's-1' })).toBe('cli:s-1');
  });

  it('names the repository of GitHub and chore sources only', () => {
    expect(threadSourceRepository({ kind: 'chore', repository: 'acme/web', chore: 'deps' })).toBe('acme/web');
    expect(threadSourceRepository({ kind: 'cli', session: 's' })).toBeUndefined();
  });
});

describe('newThreadId', () => {
  it('makes T-<uuidv7> ids that sort by creation time', async () => {
    const first = newThreadId();
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = newThreadId();
    expect(isThreadId(first)).toBe(true);
    expect(first < second).toBe(true);
    expect(isThreadId('T-6f1c2e0a-9b1d-4c2b-8f1e-2d3c4b5a6978')).toBe(false); // v4
    expect(isThreadId('x')).toBe(false);
  });
});
