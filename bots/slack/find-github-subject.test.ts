import { describe, expect, it } from 'vitest';
import { findGithubSubject } from './find-github-subject.js';

describe('findGithubSubject', () => {
  it('takes a link to an issue or PR of the repository from the message', () => {
    expect(
      findGithubSubject({
        prompt: 'please continue https://github.com/Acme/Web/pull/12 and add tests',
        repository: 'acme/web',
        threadSources: [],
      }),
    ).toEqual({ number: 12, isPullRequest: true });
    expect(
      findGithubSubject({
        prompt: 'see https://ghe.example.com/acme/web/issues/7',
        repository: 'acme/web',
        threadSources: [],
      }),
    ).toEqual({ number: 7, isPullRequest: false });
  });

  it('ignores links to other repositories and falls back to the thread’s linked PR over its issue', () => {
    expect(
      findGithubSubject({
        prompt: 'like https://github.com/other/repo/pull/3',
        repository: 'acme/web',
        threadSources: [
          { kind: 'slack', teamId: 'T', channelId: 'C', threadTs: '1.2' },
          { kind: 'github', repository: 'acme/web', number: 4, type: 'issue' },
          { kind: 'github', repository: 'acme/web', number: 9, type: 'pull_request' },
        ],
      }),
    ).toEqual({ number: 9, isPullRequest: true });
  });

  it('finds nothing in a plain request of a new thread', () => {
    expect(
      findGithubSubject({ prompt: 'fix the login test', repository: 'acme/web', threadSources: [] }),
    ).toBeUndefined();
  });
});
