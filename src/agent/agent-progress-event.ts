/**
 * Progress events for reporters (status message edits, CLI output, metrics). They describe what
 * happened; they never steer the run, and a reporter that throws cannot break it.
 */
import type { LlmErrorPayload, ToolCall } from '../llm/llm-types.js';
import type { AgentRunResult, AgentUsage } from './agent-run-result.js';

export type AgentProgressEvent =
  | { type: 'run_started'; model: string; resumedMessages: number }
  /** A model call begins: `turn` is 1-based; `attempt` is 0 for the first try, then 1, 2 ... */
  | { type: 'turn_started'; turn: number; attempt: number }
  | { type: 'text_delta'; text: string }
  | { type: 'tool_call_started'; call: ToolCall; readOnly: boolean }
  | { type: 'tool_progress'; callId: string; text: string }
  | {
      type: 'tool_call_finished';
      call: ToolCall;
      isError: boolean;
      durationMs: number;
    }
  | { type: 'retry_scheduled'; attempt: number; delayMs: number; reason: string; error: LlmErrorPayload }
  | { type: 'steering_injected'; text: string }
  | { type: 'usage_updated'; usage: AgentUsage; turns: number }
  | { type: 'run_finished'; result: AgentRunResult };
