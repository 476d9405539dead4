/**
 * The agent's state machine: `transition(state, event) → { state, actions }`. Pure and synchronous:
 * no I/O, no clock, no randomness; the runtime performs the actions and feeds outcomes back as
 * events. Pairs a state does not expect leave the state unchanged and emit a `Log` action (see
 * `ignore-event.ts` for why that, rather than an error state).
 */
import type { Transition } from './agent-action.js';
import type { AgentEvent } from './agent-event.js';
import type { AgentState } from './agent-state.js';
import { ignoreEvent } from './ignore-event.js';
import { onError } from './on-error.js';
import { onExecutingTools } from './on-executing-tools.js';
import { onLlmCall } from './on-llm-call.js';
import { onPostToolsHook } from './on-post-tools-hook.js';
import { onWaitingForUserInput } from './on-waiting-for-user-input.js';

export function transition(state: AgentState, event: AgentEvent): Transition {
  switch (state.name) {
    case 'WaitingForUserInput':
      return onWaitingForUserInput(state, event);
    case 'CallingLlm':
    case 'ProcessingLlmResponse':
      return onLlmCall(state, event);
    case 'ExecutingTools':
      return onExecutingTools(state, event);
    case 'PostToolsHook':
      return onPostToolsHook(state, event);
    case 'Error':
      return onError(state, event);
    case 'ShuttingDown':
      return ignoreEvent(state, event);
  }
}
