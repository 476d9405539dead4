/**
 * `CallingLlm` and `ProcessingLlmResponse`: a model call is in flight. Deltas are buffered (and text
 * is shown to reporters as it streams) but only a `completed` response enters the transcript, so a
 * stream that fails part-way can never leave a half-written tool call behind.
 */
import type { LlmStreamEvent } from '../../llm/llm-types.js';
import type { Transition } from './agent-action.js';
import type { AgentEvent } from './agent-event.js';
import type { AgentState, PartialToolCall } from './agent-state.js';
import { ignoreEvent } from './ignore-event.js';
import { onLlmCompleted } from './on-llm-completed.js';
import { onLlmError } from './on-llm-error.js';
import { shutDown } from './shut-down.js';

export type LlmCallState = Extract<AgentState, { name: 'CallingLlm' | 'ProcessingLlmResponse' }>;
type ProcessingState = Extract<AgentState, { name: 'ProcessingLlmResponse' }>;

export function onLlmCall(state: LlmCallState, event: AgentEvent): Transition {
  switch (event.type) {
    case 'LlmEvent':
      return onStreamEvent(state, event.event, event.costUsd ?? 0);
    case 'ShutdownRequested':
      return shutDown(state, event.cause);
    default:
      return ignoreEvent(state, event);
  }
}

function onStreamEvent(state: LlmCallState, event: LlmStreamEvent, costUsd: number): Transition {
  switch (event.type) {
    case 'text_delta': {
      const streaming = toProcessing(state);
      return {
        state: { ...streaming, partialText: streaming.partialText + event.text },
        actions: [{ type: 'EmitProgress', event: { type: 'text_delta', text: event.text } }],
      };
    }
    case 'tool_call_delta': {
      const streaming = toProcessing(state);
      return {
        state: { ...streaming, partialToolCalls: addToolCallDelta(streaming.partialToolCalls, event) },
        actions: [],
      };
    }
    case 'completed':
      return onLlmCompleted(state.context, event.response, costUsd);
    case 'error':
      return onLlmError(state, event.error);
  }
}

function toProcessing(state: LlmCallState): ProcessingState {
  if (state.name === 'ProcessingLlmResponse') return state;
  return {
    name: 'ProcessingLlmResponse',
    context: state.context,
    retries: state.retries,
    partialText: '',
    partialToolCalls: [],
  };
}

function addToolCallDelta(
  partials: PartialToolCall[],
  delta: Extract<LlmStreamEvent, { type: 'tool_call_delta' }>,
): PartialToolCall[] {
  const existing = partials.find((partial) => partial.index === delta.index);
  const updated: PartialToolCall = {
    index: delta.index,
    argumentsText: (existing?.argumentsText ?? '') + delta.arguments_delta,
    ...((delta.id ?? existing?.id) === undefined ? {} : { id: delta.id ?? existing?.id }),
    ...((delta.name ?? existing?.name) === undefined ? {} : { name: delta.name ?? existing?.name }),
  };
  return existing
    ? partials.map((partial) => (partial === existing ? updated : partial))
    : [...partials, updated];
}
