import { describe, expect, it } from 'vitest';
import { decidePolicy, defaultSlackPolicy, matchesRepository } from './decide-policy.js';
import type { Policy } from './policy-schema.js';

const request = {
  action: 'run' as const,
  workspaceId: 'T1',
  channelId: 'C1',
  userId: 'U1',
  repository: 'acme/web',
};

describe('decidePolicy', () => {
  it('denies everything with no rules, calling the workspace unlisted', () => {
    expect(decidePolicy({ slackRules: [] }, request)).toEqual({
      effect: 'deny',
      reason: 'workspace_not_listed',
    });
  });

  it('allows what an allow rule covers and names the rule', () => {
    const policy: Policy = {
      slackRules: [
        { effect: 'allow', workspaces: ['T2'], repositories: ['*'] },
        { effect: 'allow', workspaces: ['T1'], repositories: ['acme/*'] },
      ],
    };
    expect(decidePolicy(policy, request)).toEqual({ effect: 'allow', reason: 'allowed', ruleIndex: 1 });
  });

  it('lets an explicit deny win over an earlier allow', () => {
    const policy: Policy = {
      slackRules: [
        { effect: 'allow', workspaces: ['*'], repositories: ['*'] },
        { effect: 'deny', users: ['U1'] },
      ],
    };
    expect(decidePolicy(policy, request)).toEqual({ effect: 'deny', reason: 'explicit_deny', ruleIndex: 1 });
    expect(decidePolicy(policy, { ...request, userId: 'U2' }).effect).toBe('allow');
  });

  it('says no_matching_allow when the workspace is listed but nothing else fits', () => {
    const policy: Policy = {
      slackRules: [{ effect: 'allow', workspaces: ['T1'], channels: ['C9'], repositories: ['*'] }],
    };
    expect(decidePolicy(policy, request)).toEqual({ effect: 'deny', reason: 'no_matching_allow' });
  });

  it('restricts by action when a rule names actions', () => {
    const policy: Policy = {
      slackRules: [{ effect: 'allow', workspaces: ['T1'], repositories: ['*'], actions: ['run'] }],
    };
    expect(decidePolicy(policy, request).effect).toBe('allow');
    expect(decidePolicy(policy, { ...request, action: 'bind' }).effect).toBe('deny');
  });

  it('ships a default that admits the installed workspace only', () => {
    const policy = defaultSlackPolicy('T1');
    expect(decidePolicy(policy, request).effect).toBe('allow');
    expect(decidePolicy(policy, { ...request, workspaceId: 'T2' })).toEqual({
      effect: 'deny',
      reason: 'workspace_not_listed',
    });
  });
});

describe('matchesRepository', () => {
  it.each([
    ['*', 'acme/web', true],
    ['acme/*', 'acme/web', true],
    ['acme/*', 'ACME/Web', true],
    ['acme/*', 'acme-evil/web', false],
    ['acme/web', 'Acme/WEB', true],
    ['acme/web', 'acme/web2', false],
    ['acme/we', 'acme/web', false],
  ])('%s against %s is %s', (pattern, repository, expected) => {
    expect(matchesRepository(pattern, repository)).toBe(expected);
  });
});
