/**
 * `ShutdownRequested` in any live state. Cancellation keeps the partial answer; the wall-time limit
 * is a runaway guard, so it ends the run as `failed`; `input_ended` is only meaningful while waiting
 * for input (it is how a one-task run ends with `done`).
 */
import type { Transition } from './agent-action.js';
import type { ShutdownCause } from './agent-event.js';
import type { AgentState } from './agent-state.js';
import { finishRun } from './finish-run.js';
import { ignoreEvent } from './ignore-event.js';
import { wallTimeReason } from './limits.js';
import { notRunResult, toolMessage } from './transcript.js';

type LiveState = Exclude<AgentState, { name: 'ShuttingDown' }>;

export function shutDown(state: LiveState, cause: ShutdownCause): Transition {
  if (cause === 'input_ended') {
    if (state.name !== 'WaitingForUserInput') return ignoreEvent(state, { type: 'ShutdownRequested', cause });
    return finishRun(state.context, 'done');
  }
  const reason = cause === 'cancelled' ? 'cancelled by the caller' : wallTimeReason(state.context);
  const context =
    state.name === 'ExecutingTools'
      ? {
          ...state.context,
          // Results in call order; calls cut short get an error result, never a gap.
          messages: [
            ...state.context.messages,
            ...state.calls.map((call) => toolMessage(call, state.results[call.id] ?? notRunResult(reason))),
          ],
        }
      : state.context;
  const partialText = state.name === 'ProcessingLlmResponse' ? state.partialText : undefined;
  return finishRun(context, cause === 'cancelled' ? 'cancelled' : 'failed', {
    reason,
    ...(cause === 'wall_time' ? { limit: 'wall_time' as const } : {}),
    ...(partialText === undefined ? {} : { partialText }),
    before: [{ type: 'AbortInFlight' }],
  });
}
