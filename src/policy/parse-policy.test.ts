import { describe, expect, it } from 'vitest';
import { isLoomError } from '../errors/index.js';
import { parsePolicy } from './parse-policy.js';

function parseError(text: string): string {
  try {
    parsePolicy(text, 'policy.yml');
  } catch (error) {
    expect(isLoomError(error, 'config_invalid')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the policy to be rejected');
}

describe('parsePolicy', () => {
  it('reads allow and deny rules in file order', () => {
    const policy = parsePolicy(
      [
        'version: 1',
        'slack:',
        '  rules:',
        '    - effect: allow',
        '      workspaces: [T1]',
        '      repositories: ["acme/*"]',
        '    - effect: deny',
        '      users: [U9]',
      ].join('\n'),
      'policy.yml',
    );
    expect(policy.slackRules).toEqual([
      { effect: 'allow', workspaces: ['T1'], repositories: ['acme/*'] },
      { effect: 'deny', users: ['U9'] },
    ]);
  });

  it('treats a file without Slack rules as deny-all', () => {
    expect(parsePolicy('version: 1\n', 'policy.yml').slackRules).toEqual([]);
  });

  it('rejects a misspelt key instead of widening the rule', () => {
    const message = parseError(
      'version: 1\nslack:\n  rules:\n    - effect: allow\n      workspaces: [T1]\n      repositories: ["*"]\n      user: [U1]\n',
    );
    expect(message).toContain('policy.yml');
    expect(message).toContain('slack.rules.0');
  });

  it('requires workspaces and repositories on allow rules', () => {
    expect(
      parseError('version: 1\nslack:\n  rules:\n    - effect: allow\n      repositories: ["*"]\n'),
    ).toContain('workspaces');
    expect(
      parseError('version: 1\nslack:\n  rules:\n    - effect: allow\n      workspaces: ["*"]\n'),
    ).toContain('repositories');
  });

  it.each([
    ['bad YAML', 'version: 1\nslack: [unclosed\n'],
    ['unknown version', 'version: 2\n'],
    [
      'a regex-like repository pattern',
      'version: 1\nslack:\n  rules:\n    - effect: deny\n      repositories: ["acme/.*"]\n',
    ],
    ['a lower-case id', 'version: 1\nslack:\n  rules:\n    - effect: deny\n      users: [u1]\n'],
    ['an empty list', 'version: 1\nslack:\n  rules:\n    - effect: deny\n      users: []\n'],
    ['an unknown effect', 'version: 1\nslack:\n  rules:\n    - effect: permit\n      users: [U1]\n'],
  ])('rejects %s', (_name, text) => {
    expect(parseError(text)).toMatch(/^policy file policy\.yml: /);
  });

  it('refuses an alias bomb', () => {
    const lines = ['version: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let index = 1; index < 12; index += 1) {
      lines.push(`a${index}: &a${index} [${Array.from({ length: 10 }, () => `*a${index - 1}`).join(', ')}]`);
    }
    expect(parseError(lines.join('\n'))).toContain('policy.yml');
  });
});
