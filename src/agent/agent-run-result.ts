/**
 * What one agent run ends with. Reporters (Slack, GitHub check runs, the CLI) read this value only;
 * nothing about a run's outcome is hidden in logs.
 */
import type { ChatMessage, LlmErrorPayload } from '../llm/llm-types.js';

/** `over-budget` is its own status so the user is told "stopped by the budget", not "it broke". */
export type AgentRunStatus = 'done' | 'failed' | 'cancelled' | 'over-budget';

/** Which configured limit stopped the run, when one did (machine-readable twin of `reason`). */
export type AgentLimit = 'turns' | 'tokens' | 'cost' | 'wall_time';

export interface AgentUsage {
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

/** One command a tool ran (from `ToolResult.metadata`), for the check run / final report. */
export interface CommandRecord {
  command: string;
  /** `null` when the command was killed before it exited (timeout, cancellation). */
  exitCode: number | null;
  timedOut: boolean;
}

export interface AgentRunResult {
  status: AgentRunStatus;
  /** Human-readable why, for every status except `done`. */
  reason?: string;
  /** The limit that ended the run, when one did. */
  limit?: AgentLimit;
  /** The model error that ended a `failed` run; `retryable` lets a job runner decide on a retry. */
  error?: LlmErrorPayload;
  /** The final answer; for a stopped run, the latest (possibly partial) assistant text. */
  answer: string;
  /** Usage of the model responses completed in this run (a discarded, retried attempt is not known). */
  usage: AgentUsage;
  /** Model responses completed in this run. */
  turns: number;
  filesChanged: string[];
  commands: CommandRecord[];
  /** The whole transcript (resumed messages included); every tool call in it has a result. */
  messages: ChatMessage[];
}
