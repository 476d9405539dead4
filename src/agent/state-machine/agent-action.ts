/**
 * What a transition asks the runtime to do. Actions are data: the runtime performs them in order,
 * and every outcome comes back as an `AgentEvent`.
 */
import type { LlmErrorPayload, LlmRequest, ToolCall } from '../../llm/llm-types.js';
import type { AgentProgressEvent } from '../agent-progress-event.js';
import type { AgentRunResult } from '../agent-run-result.js';
import type { AgentState } from './agent-state.js';

export type AgentAction =
  /** Start streaming `request`; `attempt` is 0 for a first try. */
  | { type: 'CallLlm'; request: LlmRequest; attempt: number }
  /** Wait (backoff, at least `retryAfterMs`), then send `RetryTimeoutFired`. */
  | { type: 'ScheduleRetry'; attempt: number; retryAfterMs?: number; error: LlmErrorPayload }
  /** Run these calls (read-only ones may run together), sending `ToolCompleted` for each. */
  | { type: 'ExecuteTools'; calls: ToolCall[] }
  /** Run the post-tools hook if any, then send `PostToolsHookCompleted`. */
  | { type: 'RunPostToolsHook' }
  /** The model answered: send `UserInput` with queued steering, or `ShutdownRequested('input_ended')`. */
  | { type: 'AwaitUserInput' }
  /** Abort the in-flight stream, tools and timers. */
  | { type: 'AbortInFlight' }
  | { type: 'EmitProgress'; event: AgentProgressEvent }
  | { type: 'Finish'; result: AgentRunResult }
  | { type: 'Log'; level: 'debug' | 'warn'; message: string };

export type AgentActionType = AgentAction['type'];

export interface Transition {
  state: AgentState;
  actions: AgentAction[];
}
