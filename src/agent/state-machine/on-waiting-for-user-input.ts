/**
 * `WaitingForUserInput`: the start of a run, and where the machine rests after an answer.
 */
import type { Transition } from './agent-action.js';
import type { AgentEvent } from './agent-event.js';
import type { AgentContext, AgentState } from './agent-state.js';
import { beginModelCall } from './begin-model-call.js';
import { ignoreEvent } from './ignore-event.js';
import { shutDown } from './shut-down.js';
import { startTools } from './start-tools.js';
import { danglingToolCalls } from './transcript.js';
import { injectUserTexts } from './inject-user-texts.js';

type WaitingState = Extract<AgentState, { name: 'WaitingForUserInput' }>;

export function onWaitingForUserInput(state: WaitingState, event: AgentEvent): Transition {
  switch (event.type) {
    case 'UserInput':
      return acceptUserInput(state.context, event.texts, event.steering);
    case 'ShutdownRequested':
      return shutDown(state, event.cause);
    default:
      return ignoreEvent(state, event);
  }
}

/**
 * New user text starts a model call. With no text (resuming a transcript), the transcript decides:
 * calls left without results are run, a trailing user/tool message is answered, and a transcript
 * that already ends with an answer has nothing to do.
 */
function acceptUserInput(context: AgentContext, texts: string[], steering: boolean): Transition {
  const injected = injectUserTexts(context, texts, steering);
  if (texts.length > 0) return prepend(injected.actions, beginModelCall(injected.context, 0));
  const dangling = danglingToolCalls(context.messages);
  if (dangling.length > 0) return startTools(context, dangling);
  const last = context.messages.at(-1);
  if (last !== undefined && last.role !== 'assistant') return beginModelCall(context, 0);
  return {
    state: { name: 'WaitingForUserInput', context },
    actions: [
      { type: 'Log', level: 'debug', message: 'no new input and the transcript ends with an answer' },
      { type: 'AwaitUserInput' },
    ],
  };
}

function prepend(actions: Transition['actions'], transition: Transition): Transition {
  return { state: transition.state, actions: [...actions, ...transition.actions] };
}
