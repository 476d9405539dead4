import { describe, expect, it } from 'vitest';
import { decodeSlackText } from './decode-slack-text.js';
import { findRepositoryReference } from './find-repository-reference.js';
import { parseSlackRequest } from './parse-slack-request.js';

const bot = 'U0LOOM';

describe('decodeSlackText', () => {
  it('removes our mention, keeps others, and decodes links, channels and escapes', () => {
    expect(
      decodeSlackText(
        '<@U0LOOM> ask <@U123> about <#C1|general>, see <https://github.com/acme/web/pull/1|acme/web#1> &amp; fix a &lt; b <!here>',
        bot,
      ),
    ).toBe('ask <@U123> about #general, see https://github.com/acme/web/pull/1 & fix a < b @here');
  });

  it('keeps a bare link and a user group label', () => {
    expect(decodeSlackText('<https://example.com> <!subteam^S1|@devs>', bot)).toBe(
      'https://example.com @devs',
    );
  });
});

describe('parseSlackRequest', () => {
  it.each([
    ['stop', { command: 'stop' }],
    ['Stop!', { command: 'stop' }],
    ['status', { command: 'status' }],
    ['STATUS?', { command: 'status' }],
    ['', { command: 'empty' }],
    ['   ', { command: 'empty' }],
    ['use acme/web', { command: 'use', repository: 'acme/web' }],
    ['use https://github.com/acme/web', { command: 'use', repository: 'acme/web' }],
  ])('reads %j as a command', (text, expected) => {
    expect(parseSlackRequest(text)).toEqual(expected);
  });

  it('treats a sentence starting with stop or use as a task', () => {
    expect(parseSlackRequest('stop the flaky test from failing in acme/web')).toMatchObject({
      command: 'run',
      prompt: 'stop the flaky test from failing in acme/web',
      repository: { repository: 'acme/web' },
    });
    expect(parseSlackRequest('use the staging database')).toMatchObject({
      command: 'run',
      repository: undefined,
    });
  });

  it('reads and removes a budget', () => {
    expect(parseSlackRequest('fix the login test in acme/web budget=$3')).toMatchObject({
      command: 'run',
      prompt: 'fix the login test in acme/web',
      budgetUsd: 3,
    });
    expect(parseSlackRequest('budget=2.50 refactor acme/api')).toMatchObject({
      budgetUsd: 2.5,
      prompt: 'refactor acme/api',
    });
    expect(parseSlackRequest('budget=$0 do it')).toMatchObject({ budgetUsd: undefined });
  });

  it('is empty when only a budget is left', () => {
    expect(parseSlackRequest('budget=$3')).toEqual({ command: 'empty' });
  });
});

describe('findRepositoryReference', () => {
  it.each([
    ['fix the flaky login test in acme/web', 'acme/web'],
    ['see https://github.com/acme/web/issues/12 please', 'acme/web'],
    ['clone https://github.com/acme/web.git', 'acme/web'],
    ['in (acme/web).', 'acme/web'],
    ['bump vercel/next.js', 'vercel/next.js'],
    ['edit src/index.ts in acme/web', 'acme/web'],
    ['look at `src/app` in acme/api', 'acme/api'],
    ['```\nfoo/bar\n``` then octo-org/repo_1', 'octo-org/repo_1'],
  ])('finds the repository in %j', (text, repository) => {
    expect(findRepositoryReference(text)?.repository).toBe(repository);
  });

  it.each([['nothing here'], ['a/b/c'], ['see https://example.com/acme/web'], ['`acme/web`'], ['-acme/web']])(
    'finds none in %j',
    (text) => {
      expect(findRepositoryReference(text)).toBeUndefined();
    },
  );

  it('honours a GitHub Enterprise host and gives the span', () => {
    const text = 'look at https://git.example.com/team/app/pull/3';
    const reference = findRepositoryReference(text, ['git.example.com']);
    expect(reference).toEqual({ repository: 'team/app', start: 8, end: text.indexOf('/pull') });
  });
});
