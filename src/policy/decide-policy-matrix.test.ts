/**
 * RELIABILITY 19 and 24: a matrix generated from the policy data. Every combination of the ids the
 * policy names (plus strangers) is decided, and checked against an independent reading of the rules:
 * not explicitly allowed → deny; any matching deny beats an allow; strangers' workspaces are unlisted.
 */
import { describe, expect, it } from 'vitest';
import { decidePolicy, type PolicyRequest } from './decide-policy.js';
import { parsePolicy } from './parse-policy.js';
import { policyActions, type PolicyRule } from './policy-schema.js';

const policyText = `
version: 1
slack:
  rules:
    - effect: allow
      workspaces: [TACME]
      repositories: ["acme/*"]
    - effect: allow
      workspaces: [TACME, TPARTNER]
      channels: [CSHARED]
      repositories: [partner/sdk]
      actions: [run]
    - effect: allow
      workspaces: [TACME, TGUEST]
      users: [UBOSS]
      repositories: [acme/docs]
    - effect: deny
      users: [UINTERN]
      repositories: [acme/infra]
    - effect: deny
      channels: [CPUBLIC]
      actions: [bind]
    - effect: deny
      workspaces: [TPARTNER]
      repositories: ["acme/*"]
`;

const policy = parsePolicy(policyText, 'matrix.yml');

/** Every id the policy names for a field, plus one it never names. */
function universe(field: 'workspaces' | 'channels' | 'users', stranger: string): string[] {
  const named = policy.slackRules.flatMap((rule) => rule[field] ?? []).filter((id) => id !== '*');
  return [...new Set([...named, stranger])];
}

const repositories = [
  ...new Set(
    policy.slackRules
      .flatMap((rule) => rule.repositories ?? [])
      .filter((pattern) => !pattern.includes('*'))
      .concat(['acme/unlisted', 'ACME/Web', 'other/thing', 'acme-evil/web']),
  ),
];

/** The oracle: a literal reading of the rules, written without the engine's helpers. */
function covers(rule: PolicyRule, request: PolicyRequest): boolean {
  const has = (list: readonly string[] | undefined, id: string) =>
    list === undefined || list.includes('*') || list.includes(id);
  const repositoryCovered =
    rule.repositories === undefined ||
    rule.repositories.some((pattern) => {
      const [owner, name] = pattern.toLowerCase().split('/');
      const [wantedOwner, wantedName] = request.repository.toLowerCase().split('/');
      return pattern === '*' || (owner === wantedOwner && (name === '*' || name === wantedName));
    });
  return (
    has(rule.workspaces, request.workspaceId) &&
    has(rule.channels, request.channelId) &&
    has(rule.users, request.userId) &&
    (rule.actions === undefined || rule.actions.includes(request.action)) &&
    repositoryCovered
  );
}

/** Whether any allow rule names the workspace: otherwise its users are strangers. */
function listed(workspaceId: string): boolean {
  return policy.slackRules.some(
    (rule) =>
      rule.effect === 'allow' && (rule.workspaces.includes('*') || rule.workspaces.includes(workspaceId)),
  );
}

const matrix: PolicyRequest[] = [];
for (const workspaceId of universe('workspaces', 'TSTRANGER'))
  for (const channelId of universe('channels', 'CRANDOM'))
    for (const userId of universe('users', 'URANDOM'))
      for (const repository of repositories)
        for (const action of policyActions)
          matrix.push({ action, workspaceId, channelId, userId, repository });

describe('policy decision matrix generated from policy data', () => {
  it('covers a meaningful matrix with both outcomes', () => {
    const decisions = matrix.map((request) => decidePolicy(policy, request).effect);
    expect(matrix.length).toBeGreaterThan(300);
    expect(decisions).toContain('allow');
    expect(decisions).toContain('deny');
  });

  it('allows exactly what some allow rule covers and no deny rule does', () => {
    const wrong = matrix.filter((request) => {
      const denied = policy.slackRules.some((rule) => rule.effect === 'deny' && covers(rule, request));
      const allowed = policy.slackRules.some((rule) => rule.effect === 'allow' && covers(rule, request));
      const expected = allowed && !denied ? 'allow' : 'deny';
      return decidePolicy(policy, request).effect !== expected;
    });
    expect(wrong).toEqual([]);
  });

  it('lets every matching deny rule win, whatever the allow rules say', () => {
    for (const request of matrix) {
      if (policy.slackRules.some((rule) => rule.effect === 'deny' && covers(rule, request))) {
        const reason = listed(request.workspaceId) ? 'explicit_deny' : 'workspace_not_listed';
        expect(decidePolicy(policy, request)).toMatchObject({ effect: 'deny', reason });
      }
    }
  });

  it('calls a workspace no allow rule names unlisted (ignored, not answered)', () => {
    const strangers = matrix.filter((item) => !listed(item.workspaceId));
    expect(strangers.length).toBeGreaterThan(0);
    for (const request of strangers) {
      expect(decidePolicy(policy, request)).toEqual({ effect: 'deny', reason: 'workspace_not_listed' });
    }
    for (const request of matrix.filter((item) => listed(item.workspaceId))) {
      expect(decidePolicy(policy, request).reason).not.toBe('workspace_not_listed');
    }
  });

  it('never allows a look-alike owner through an owner wildcard', () => {
    for (const request of matrix.filter((item) => item.repository === 'acme-evil/web')) {
      expect(decidePolicy(policy, request).effect).toBe('deny');
    }
  });
});
