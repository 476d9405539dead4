/**
 * Everything that can happen to a run. The runtime turns I/O outcomes (stream events, tool results,
 * timers, the abort signal) into these values; anything a pure transition needs that is not
 * deterministic (cost, durations) is measured by the runtime and carried here.
 */
import type { LlmStreamEvent } from '../../llm/llm-types.js';
import type { ToolResult } from '../../tools/tool-types.js';

/** Why the runtime asks the machine to stop. */
export type ShutdownCause =
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** `maxWallTimeMs` elapsed. */
  | 'wall_time'
  /** The machine awaited user input and there is none (a one-task run is over). */
  | 'input_ended';

export type AgentEvent =
  /** User text: the prompt, or steering drained from the caller's queue. May be empty (resume). */
  | { type: 'UserInput'; texts: string[]; steering: boolean }
  /** One model stream event; `costUsd` is that response's cost (only meaningful on `completed`). */
  | { type: 'LlmEvent'; event: LlmStreamEvent; costUsd?: number }
  | { type: 'ToolProgress'; callId: string; text: string }
  | { type: 'ToolCompleted'; callId: string; result: ToolResult; durationMs: number }
  /**
   * The hook ran (or there is none). `messages` are user notes from the hook; `steering` is what
   * the caller queued meanwhile; `error` is set when the hook threw.
   */
  | { type: 'PostToolsHookCompleted'; messages: string[]; steering: string[]; error?: string }
  /** The backoff delay elapsed; `steering` is what the caller queued meanwhile. */
  | { type: 'RetryTimeoutFired'; steering: string[] }
  | { type: 'ShutdownRequested'; cause: ShutdownCause };

export type AgentEventType = AgentEvent['type'];
