/**
 * The policy decision, as a pure function: deny by default, an explicit deny beats any allow.
 */
import type { Policy, PolicyAction, PolicyRule } from './policy-schema.js';

/** One Slack request as the policy sees it. */
export interface PolicyRequest {
  action: PolicyAction;
  /** The requester's own workspace (differs from the installation's in a Slack Connect channel). */
  workspaceId: string;
  channelId: string;
  userId: string;
  /** `owner/name`. */
  repository: string;
}

export type PolicyReason =
  | 'allowed'
  /** No allow rule covers the request, though one names the workspace. */
  | 'no_matching_allow'
  | 'explicit_deny'
  /** No allow rule names the requester's workspace at all: a stranger, answered with silence. */
  | 'workspace_not_listed'
  /** The policy could not be read or evaluated: fail closed. */
  | 'policy_error';

export interface PolicyDecision {
  effect: 'allow' | 'deny';
  reason: PolicyReason;
  /** Index (0-based, file order) of the deciding rule, when one decided. */
  ruleIndex?: number;
}

function matchesId(patterns: readonly string[] | undefined, id: string): boolean {
  return patterns === undefined || patterns.some((pattern) => pattern === '*' || pattern === id);
}

/** `*`, `owner/*` or `owner/name` against `owner/name`, without regard to case. */
export function matchesRepository(pattern: string, repository: string): boolean {
  if (pattern === '*') return true;
  const wanted = pattern.toLowerCase();
  const actual = repository.toLowerCase();
  if (wanted.endsWith('/*')) return actual.startsWith(wanted.slice(0, -1)) && !actual.endsWith('/');
  return wanted === actual;
}

/** Whether every field the rule names matches the request. */
export function ruleMatches(rule: PolicyRule, request: PolicyRequest): boolean {
  return (
    matchesId(rule.workspaces, request.workspaceId) &&
    matchesId(rule.channels, request.channelId) &&
    matchesId(rule.users, request.userId) &&
    (rule.actions === undefined || rule.actions.includes(request.action)) &&
    (rule.repositories === undefined ||
      rule.repositories.some((pattern) => matchesRepository(pattern, request.repository)))
  );
}

/** Decides one request: deny unless an allow rule matches and no deny rule does. */
/** Whether any allow rule names the workspace; users of other workspaces are strangers. */
export function isWorkspaceListed(policy: Policy, workspaceId: string): boolean {
  return policy.slackRules.some((rule) => rule.effect === 'allow' && matchesId(rule.workspaces, workspaceId));
}

export function decidePolicy(policy: Policy, request: PolicyRequest): PolicyDecision {
  // A stranger's workspace is checked first: strangers get silence, whatever else the rules say.
  if (!isWorkspaceListed(policy, request.workspaceId))
    return { effect: 'deny', reason: 'workspace_not_listed' };
  const denyIndex = policy.slackRules.findIndex(
    (rule) => rule.effect === 'deny' && ruleMatches(rule, request),
  );
  if (denyIndex >= 0) return { effect: 'deny', reason: 'explicit_deny', ruleIndex: denyIndex };
  const allowIndex = policy.slackRules.findIndex(
    (rule) => rule.effect === 'allow' && ruleMatches(rule, request),
  );
  if (allowIndex >= 0) return { effect: 'allow', reason: 'allowed', ruleIndex: allowIndex };
  return { effect: 'deny', reason: 'no_matching_allow' };
}

/**
 * The shipped default when no policy file is configured: members of the installed workspace may run
 * tasks on any repository a message names or a channel is bound to (the GitHub App's installation
 * still limits which repositories Loom can reach). Everyone else is a stranger.
 */
export function defaultSlackPolicy(installedWorkspaceId: string): Policy {
  return {
    slackRules: [{ effect: 'allow', workspaces: [installedWorkspaceId], repositories: ['*'] }],
  };
}
