export { transition } from './transition.js';
export { createInitialState } from './agent-state.js';
export type {
  AgentConfig,
  AgentContext,
  AgentState,
  AgentStateName,
  ErrorOrigin,
  PartialToolCall,
} from './agent-state.js';
export type { AgentEvent, AgentEventType, ShutdownCause } from './agent-event.js';
export type { AgentAction, AgentActionType, Transition } from './agent-action.js';
