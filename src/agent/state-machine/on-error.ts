/**
 * `Error`: a retryable model failure is waiting out its backoff. Stream events arriving now belong
 * to the abandoned call and are ignored.
 */
import type { Transition } from './agent-action.js';
import type { AgentEvent } from './agent-event.js';
import type { AgentState } from './agent-state.js';
import { beginModelCall } from './begin-model-call.js';
import { ignoreEvent } from './ignore-event.js';
import { injectUserTexts } from './inject-user-texts.js';
import { shutDown } from './shut-down.js';

type ErrorState = Extract<AgentState, { name: 'Error' }>;

export function onError(state: ErrorState, event: AgentEvent): Transition {
  switch (event.type) {
    case 'RetryTimeoutFired': {
      const steered = injectUserTexts(state.context, event.steering, true);
      const next = beginModelCall(steered.context, state.retries + 1);
      return { state: next.state, actions: [...steered.actions, ...next.actions] };
    }
    case 'ShutdownRequested':
      return shutDown(state, event.cause);
    default:
      return ignoreEvent(state, event);
  }
}
