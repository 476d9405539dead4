/**
 * `PostToolsHook`: the hook's notes and the caller's steering are appended (after the tool results,
 * so the transcript stays valid for every provider), then the next model call starts.
 */
import type { Transition } from './agent-action.js';
import type { AgentEvent } from './agent-event.js';
import type { AgentState } from './agent-state.js';
import { beginModelCall } from './begin-model-call.js';
import { finishRun } from './finish-run.js';
import { ignoreEvent } from './ignore-event.js';
import { injectUserTexts } from './inject-user-texts.js';
import { shutDown } from './shut-down.js';

type PostToolsHookState = Extract<AgentState, { name: 'PostToolsHook' }>;

export function onPostToolsHook(state: PostToolsHookState, event: AgentEvent): Transition {
  switch (event.type) {
    case 'PostToolsHookCompleted': {
      const notes = injectUserTexts(state.context, event.messages, false);
      // Steering is kept in the transcript even if the run now stops, so a resume still sees it.
      const steered = injectUserTexts(notes.context, event.steering, true);
      const next =
        event.error === undefined
          ? beginModelCall(steered.context, 0)
          : finishRun(steered.context, 'failed', { reason: `post-tools hook failed: ${event.error}` });
      return { state: next.state, actions: [...steered.actions, ...next.actions] };
    }
    case 'ShutdownRequested':
      return shutDown(state, event.cause);
    default:
      return ignoreEvent(state, event);
  }
}
