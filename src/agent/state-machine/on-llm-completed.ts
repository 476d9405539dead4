/**
 * A model response completed: count it, record it, then either run its tools or, when it is an
 * answer, wait for more input. The budget is checked right here, after every response, so a run
 * that has spent its budget never starts the tools the response asked for.
 */
import type { ChatMessage, LlmResponse } from '../../llm/llm-types.js';
import type { AgentAction, Transition } from './agent-action.js';
import type { AgentContext } from './agent-state.js';
import { finishRun } from './finish-run.js';
import { budgetLimitHit } from './limits.js';
import { startTools } from './start-tools.js';

export function onLlmCompleted(context: AgentContext, response: LlmResponse, costUsd: number): Transition {
  const assistant: ChatMessage = {
    role: 'assistant',
    content: response.message.content,
    ...(response.tool_calls.length > 0 ? { tool_calls: response.tool_calls } : {}),
  };
  const next: AgentContext = {
    ...context,
    messages: [...context.messages, assistant],
    turns: context.turns + 1,
    usage: {
      input_tokens: context.usage.input_tokens + response.usage.input_tokens,
      output_tokens: context.usage.output_tokens + response.usage.output_tokens,
      cost_usd: context.usage.cost_usd + costUsd,
    },
  };
  const actions: AgentAction[] = [
    { type: 'EmitProgress', event: { type: 'usage_updated', usage: { ...next.usage }, turns: next.turns } },
  ];
  if (response.tool_calls.length === 0) {
    // An answer is complete even if it used up the budget; a follow-up call would be refused.
    return {
      state: { name: 'WaitingForUserInput', context: next },
      actions: [...actions, { type: 'AwaitUserInput' }],
    };
  }
  const hit = budgetLimitHit(next);
  if (hit) return finishRun(next, hit.status, { reason: hit.reason, limit: hit.limit, before: actions });
  return startTools(next, response.tool_calls, actions);
}
