/**
 * The agent's states. Every state carries the same `context` (transcript, usage, counters and the
 * run's fixed configuration), plus what only that state needs. States are plain immutable values:
 * a transition returns a new one and never mutates its input.
 */
import type { ChatMessage, LlmErrorPayload, ToolCall, ToolDefinition } from '../../llm/llm-types.js';
import type { ToolResult } from '../../tools/tool-types.js';
import type { AgentRunResult, AgentUsage, CommandRecord } from '../agent-run-result.js';

/** Fixed for a run; limits left `undefined` are not enforced. */
export interface AgentConfig {
  model: string;
  system?: string;
  tools: ToolDefinition[];
  /** Per-response output cap sent to the model (`max_tokens`). */
  maxOutputTokens?: number;
  temperature?: number;
  /** Retries of one model call after retryable errors (0 = never retry). */
  maxRetries: number;
  /** Model responses allowed in the run. */
  maxTurns?: number;
  /** Input + output tokens allowed in the run. */
  maxTokens?: number;
  maxCostUsd?: number;
  /** Only used to word the wall-time reason; the runtime owns the timer. */
  maxWallTimeMs?: number;
}

export interface AgentContext {
  config: AgentConfig;
  messages: ChatMessage[];
  usage: AgentUsage;
  /** Model responses completed in this run. */
  turns: number;
  filesChanged: string[];
  commands: CommandRecord[];
}

/** A tool call being streamed; it only becomes a `ToolCall` when the response completes. */
export interface PartialToolCall {
  index: number;
  id?: string;
  name?: string;
  argumentsText: string;
}

/** Where a recoverable model error happened: before the first stream event, or mid-stream. */
export type ErrorOrigin = 'CallingLlm' | 'ProcessingLlmResponse';

export type AgentState =
  | { name: 'WaitingForUserInput'; context: AgentContext }
  /** A model call is in flight and no stream event has arrived yet. `retries` made so far. */
  | { name: 'CallingLlm'; context: AgentContext; retries: number }
  /** The stream has started; deltas are buffered until `completed` (or discarded on `error`). */
  | {
      name: 'ProcessingLlmResponse';
      context: AgentContext;
      retries: number;
      partialText: string;
      partialToolCalls: PartialToolCall[];
    }
  /** Tools of the latest response are running; results are kept by call id until all are in. */
  | {
      name: 'ExecutingTools';
      context: AgentContext;
      calls: ToolCall[];
      results: Record<string, ToolResult>;
    }
  /** All results are in the transcript; the post-tools hook (or a no-op) runs before the next call. */
  | { name: 'PostToolsHook'; context: AgentContext }
  /** A model call failed with a retryable error; a retry timer is running. */
  | { name: 'Error'; context: AgentContext; origin: ErrorOrigin; error: LlmErrorPayload; retries: number }
  /** Terminal: the run's result is decided; every later event is ignored. */
  | { name: 'ShuttingDown'; context: AgentContext; result: AgentRunResult };

export type AgentStateName = AgentState['name'];

/** The state a run starts in: waiting for the prompt, with an optional transcript to resume. */
export function createInitialState(config: AgentConfig, messages: ChatMessage[] = []): AgentState {
  return {
    name: 'WaitingForUserInput',
    context: {
      config,
      messages: [...messages],
      usage: { input_tokens: 0, output_tokens: 0, cost_usd: 0 },
      turns: 0,
      filesChanged: [],
      commands: [],
    },
  };
}
