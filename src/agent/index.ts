/**
 * The agent: a pure state machine (`transition`) and the runtime that drives it (`runAgent`).
 */
export { runAgent, runAgentDefaults } from './runtime/run-agent.js';
export type {
  AgentLimits,
  PostToolsHook,
  PostToolsHookInput,
  RunAgentOptions,
  SteeringSource,
} from './runtime/run-agent-options.js';
export { createSteeringQueue } from './runtime/steering-queue.js';
export type { SteeringQueue } from './runtime/steering-queue.js';
export { retryDelay, defaultRetryPolicy } from './retry/retry-delay.js';
export type { RetryDelayInput, RetryPolicy } from './retry/retry-delay.js';
export type { AgentProgressEvent } from './agent-progress-event.js';
export type {
  AgentLimit,
  AgentRunResult,
  AgentRunStatus,
  AgentUsage,
  CommandRecord,
} from './agent-run-result.js';
export { transition, createInitialState } from './state-machine/index.js';
export type {
  AgentAction,
  AgentConfig,
  AgentContext,
  AgentEvent,
  AgentState,
  AgentStateName,
  ShutdownCause,
  Transition,
} from './state-machine/index.js';
