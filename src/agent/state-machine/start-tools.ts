/**
 * Enters `ExecutingTools` for the given calls.
 */
import type { ToolCall } from '../../llm/llm-types.js';
import type { AgentAction, Transition } from './agent-action.js';
import type { AgentContext } from './agent-state.js';

export function startTools(context: AgentContext, calls: ToolCall[], before: AgentAction[] = []): Transition {
  return {
    state: { name: 'ExecutingTools', context, calls, results: {} },
    actions: [...before, { type: 'ExecuteTools', calls }],
  };
}
