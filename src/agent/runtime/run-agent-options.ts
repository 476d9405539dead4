/**
 * Everything `runAgent` needs, passed in: no config is read and no connection is opened here.
 */
import type { Logger } from '../../logging/index.js';
import type { ChatMessage, LlmClient, Usage } from '../../llm/llm-types.js';
import type { ToolExecutor } from '../../tools/tool-types.js';
import type { AgentProgressEvent } from '../agent-progress-event.js';
import type { RetryPolicy } from '../retry/retry-delay.js';

export interface AgentLimits {
  /** Model responses allowed (default 100); reaching it with work left ends the run `failed`. */
  maxTurns?: number;
  /** Input + output tokens allowed; reaching it ends the run `over-budget`. */
  maxTokens?: number;
  /** Dollars allowed (needs `costOf`); reaching it ends the run `over-budget`. */
  maxCostUsd?: number;
  /** Elapsed time allowed; reaching it ends the run `failed`. */
  maxWallTimeMs?: number;
}

/** Where steering comes from: the caller pushes, the runtime drains before each model call. */
export interface SteeringSource {
  /** Returns and removes every queued message, oldest first. */
  drain(): string[];
}

export interface PostToolsHookInput {
  /** The transcript, tool results of this turn included. */
  messages: readonly ChatMessage[];
  /** Model responses completed so far. */
  turns: number;
  signal: AbortSignal;
}

/** Runs after each round of tools, before the next model call; may add user notes (e.g. lint output). */
export type PostToolsHook = (input: PostToolsHookInput) => Promise<{ messages?: string[] } | void>;

export interface RunAgentOptions {
  llm: LlmClient;
  model: string;
  system?: string;
  tools: ToolExecutor;
  /** The task. Optional only when `messages` is given (a resume). */
  prompt?: string;
  /** A transcript to resume from; `prompt`, if given, is appended to it. */
  messages?: ChatMessage[];
  limits?: AgentLimits;
  /** Dollar cost of one response; required when `limits.maxCostUsd` is set. */
  costOf?: (model: string, usage: Usage) => number;
  /** Aborting it cancels the run: the stream and the tools are aborted, the status is `cancelled`. */
  signal?: AbortSignal;
  steering?: SteeringSource;
  onEvent?: (event: AgentProgressEvent) => void;
  postToolsHook?: PostToolsHook;
  /** A stream with no event for this long is abandoned and retried (default 120 000). */
  idleTimeoutMs?: number;
  /** Retries of one model call after retryable errors (default 5). */
  maxRetries?: number;
  retryPolicy?: RetryPolicy;
  /** `max_tokens` of each model call. */
  maxOutputTokens?: number;
  temperature?: number;
  /** Backoff waits; must settle early (either way) when `signal` aborts. Default: a real timer. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Milliseconds clock for tool durations (default `Date.now`). */
  now?: () => number;
  /** Uniform [0, 1) source for retry jitter (default `Math.random`). */
  random?: () => number;
  logger?: Logger;
}
