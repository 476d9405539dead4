/**
 * The deliberate answer to an event a state does not expect: keep the state exactly as it is and
 * log. Events arrive from racing sources (a stream event after its call was abandoned, a tool's
 * progress after a cancel), so an unexpected event is a fact to record, not a reason to crash a run.
 * After shutdown such late events are normal, hence `debug` there and `warn` elsewhere.
 */
import type { Transition } from './agent-action.js';
import type { AgentEvent } from './agent-event.js';
import type { AgentState } from './agent-state.js';

export function describeEvent(event: AgentEvent): string {
  if (event.type === 'LlmEvent') return `LlmEvent(${event.event.type})`;
  if (event.type === 'ShutdownRequested') return `ShutdownRequested(${event.cause})`;
  return event.type;
}

export function ignoreEvent(state: AgentState, event: AgentEvent): Transition {
  const level = state.name === 'ShuttingDown' ? 'debug' : 'warn';
  return {
    state,
    actions: [{ type: 'Log', level, message: `ignored ${describeEvent(event)} in state ${state.name}` }],
  };
}
