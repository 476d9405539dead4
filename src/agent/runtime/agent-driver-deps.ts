/**
 * What the driver needs from the outside world; `runAgent` fills the defaults.
 */
import type { Logger } from '../../logging/index.js';
import type { LlmClient, Usage } from '../../llm/llm-types.js';
import type { ToolExecutor } from '../../tools/tool-types.js';
import type { AgentProgressEvent } from '../agent-progress-event.js';
import type { RetryPolicy } from '../retry/retry-delay.js';
import type { PostToolsHook, SteeringSource } from './run-agent-options.js';

export interface AgentDriverDeps {
  llm: LlmClient;
  tools: ToolExecutor;
  costOf: (model: string, usage: Usage) => number;
  steering: SteeringSource;
  onEvent: (event: AgentProgressEvent) => void;
  postToolsHook: PostToolsHook | undefined;
  idleTimeoutMs: number;
  retryPolicy: RetryPolicy;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  now: () => number;
  random: () => number;
  logger: Logger | undefined;
}
