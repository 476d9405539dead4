/**
 * The policy engine's edge: reads the current policy and decides, turning every failure into a deny.
 * A broken policy must never let a request through (RELIABILITY 19, 24).
 */
import type { Logger } from '../logging/index.js';
import { decidePolicy, isWorkspaceListed, type PolicyDecision, type PolicyRequest } from './decide-policy.js';
import type { PolicySource } from './policy-source.js';

export async function evaluatePolicy(
  source: PolicySource,
  request: PolicyRequest,
  logger?: Logger,
): Promise<PolicyDecision> {
  try {
    return decidePolicy(await source.current(), request);
  } catch (error) {
    logger?.warn({ err: error, action: request.action }, 'policy evaluation failed: denied');
    return { effect: 'deny', reason: 'policy_error' };
  }
}

/**
 * Whether the workspace is admitted at all, before anything else is looked at: `false` for strangers
 * and whenever the policy cannot be read (fail closed).
 */
export async function evaluateWorkspace(
  source: PolicySource,
  workspaceId: string,
  logger?: Logger,
): Promise<boolean> {
  try {
    return isWorkspaceListed(await source.current(), workspaceId);
  } catch (error) {
    logger?.warn({ err: error }, 'policy evaluation failed: denied');
    return false;
  }
}
