/**
 * The one way a run ends: build the result, close dangling tool calls, move to `ShuttingDown`.
 */
import type { LlmErrorPayload } from '../../llm/llm-types.js';
import type { AgentLimit, AgentRunResult, AgentRunStatus } from '../agent-run-result.js';
import type { AgentAction, Transition } from './agent-action.js';
import type { AgentContext } from './agent-state.js';
import { closeDanglingToolCalls, latestAssistantText } from './transcript.js';

export interface FinishDetails {
  reason?: string;
  limit?: AgentLimit;
  error?: LlmErrorPayload;
  /** Streamed text of a response that will not complete; preferred as the answer when non-empty. */
  partialText?: string;
  /** Actions to run before `Finish` (e.g. `AbortInFlight`). */
  before?: AgentAction[];
}

export function finishRun(
  context: AgentContext,
  status: AgentRunStatus,
  details: FinishDetails = {},
): Transition {
  const why = details.reason ?? `run ${status}`;
  const messages = closeDanglingToolCalls(context.messages, why);
  const finalContext: AgentContext = { ...context, messages };
  const partial = details.partialText ?? '';
  const result: AgentRunResult = {
    status,
    ...(details.reason === undefined ? {} : { reason: details.reason }),
    ...(details.limit === undefined ? {} : { limit: details.limit }),
    ...(details.error === undefined ? {} : { error: details.error }),
    answer: partial.length > 0 ? partial : latestAssistantText(messages),
    usage: { ...context.usage },
    turns: context.turns,
    filesChanged: [...context.filesChanged],
    commands: [...context.commands],
    messages,
  };
  return {
    state: { name: 'ShuttingDown', context: finalContext, result },
    actions: [...(details.before ?? []), { type: 'Finish', result }],
  };
}
