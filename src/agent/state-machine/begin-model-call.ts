/**
 * Starts a model call from the current transcript, unless a limit forbids it.
 */
import type { LlmRequest } from '../../llm/llm-types.js';
import type { Transition } from './agent-action.js';
import type { AgentContext } from './agent-state.js';
import { finishRun } from './finish-run.js';
import { nextCallLimitHit } from './limits.js';

export function buildLlmRequest(context: AgentContext): LlmRequest {
  const { config } = context;
  return {
    model: config.model,
    ...(config.system === undefined ? {} : { system: config.system }),
    messages: context.messages,
    ...(config.tools.length === 0 ? {} : { tools: config.tools }),
    ...(config.maxOutputTokens === undefined ? {} : { max_tokens: config.maxOutputTokens }),
    ...(config.temperature === undefined ? {} : { temperature: config.temperature }),
  };
}

/** `retries` is the number of failed attempts of this same call so far (0 for a fresh call). */
export function beginModelCall(context: AgentContext, retries: number): Transition {
  const hit = nextCallLimitHit(context);
  if (hit) return finishRun(context, hit.status, { reason: hit.reason, limit: hit.limit });
  return {
    state: { name: 'CallingLlm', context, retries },
    actions: [
      { type: 'EmitProgress', event: { type: 'turn_started', turn: context.turns + 1, attempt: retries } },
      { type: 'CallLlm', request: buildLlmRequest(context), attempt: retries },
    ],
  };
}
