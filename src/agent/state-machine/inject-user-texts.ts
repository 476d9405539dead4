/**
 * Appends user texts (a prompt, hook notes or steering) to the transcript. Steering is announced to
 * reporters so the person who steered sees it was taken.
 */
import type { AgentAction } from './agent-action.js';
import type { AgentContext } from './agent-state.js';
import { userMessages } from './transcript.js';

export function injectUserTexts(
  context: AgentContext,
  texts: string[],
  steering: boolean,
): { context: AgentContext; actions: AgentAction[] } {
  if (texts.length === 0) return { context, actions: [] };
  return {
    context: { ...context, messages: [...context.messages, ...userMessages(texts)] },
    actions: steering
      ? texts.map((text) => ({ type: 'EmitProgress', event: { type: 'steering_injected', text } }))
      : [],
  };
}
