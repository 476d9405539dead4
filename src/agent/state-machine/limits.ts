/**
 * Limit checks. Cost and tokens are a budget (status `over-budget`); turns and wall time are a
 * runaway guard (status `failed`). Limits are "reached" at `>=`, so a run never starts a model call
 * once its budget is spent.
 */
import type { AgentLimit, AgentRunStatus } from '../agent-run-result.js';
import type { AgentContext } from './agent-state.js';

export interface LimitHit {
  limit: AgentLimit;
  status: AgentRunStatus;
  reason: string;
}

/** The budget limit (tokens, then cost) the context has reached, if any. */
export function budgetLimitHit(context: AgentContext): LimitHit | undefined {
  const { maxTokens, maxCostUsd } = context.config;
  const tokens = context.usage.input_tokens + context.usage.output_tokens;
  if (maxTokens !== undefined && tokens >= maxTokens) {
    return {
      limit: 'tokens',
      status: 'over-budget',
      reason: `token budget reached: ${tokens} of ${maxTokens} tokens used`,
    };
  }
  const cost = context.usage.cost_usd;
  if (maxCostUsd !== undefined && cost >= maxCostUsd) {
    return {
      limit: 'cost',
      status: 'over-budget',
      // The limit as the user gave it: `toFixed(2)` printed a $0.001 limit as "$0.00".
      reason: `cost budget reached: $${cost.toFixed(4)} of $${maxCostUsd} spent`,
    };
  }
  return undefined;
}

/** The limit that forbids another model call, if any: the budget first, then the turn count. */
export function nextCallLimitHit(context: AgentContext): LimitHit | undefined {
  const budget = budgetLimitHit(context);
  if (budget) return budget;
  const { maxTurns } = context.config;
  if (maxTurns !== undefined && context.turns >= maxTurns) {
    return {
      limit: 'turns',
      status: 'failed',
      reason: `turn limit reached: ${context.turns} of ${maxTurns} model responses, and the model had not finished`,
    };
  }
  return undefined;
}

export function wallTimeReason(context: AgentContext): string {
  const limit = context.config.maxWallTimeMs;
  return limit === undefined ? 'wall time limit reached' : `wall time limit reached: ${limit} ms`;
}
