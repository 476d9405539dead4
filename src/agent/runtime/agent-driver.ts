/**
 * The interpreter of the state machine, and the only loop of the agent: it feeds events to
 * `transition`, performs the returned actions, and turns their outcomes back into events. Events
 * are queued and handled one at a time, so an action that reports synchronously never re-enters a
 * transition.
 */
import { toLoomError } from '../../errors/index.js';
import type { AgentProgressEvent } from '../agent-progress-event.js';
import type { AgentRunResult } from '../agent-run-result.js';
import type { AgentAction } from '../state-machine/agent-action.js';
import type { AgentEvent } from '../state-machine/agent-event.js';
import type { AgentState } from '../state-machine/agent-state.js';
import { transition } from '../state-machine/transition.js';
import { performAsyncAction } from './perform-async-action.js';
import type { AgentDriverDeps } from './agent-driver-deps.js';

export interface AgentDriver {
  dispatch(event: AgentEvent): void;
  /** Settles once, with the `Finish` action's result (or rejects if the machine itself throws). */
  readonly result: Promise<AgentRunResult>;
  currentState(): AgentState;
}

export function createAgentDriver(deps: AgentDriverDeps, initialState: AgentState): AgentDriver {
  let state = initialState;
  const queue: AgentEvent[] = [];
  let handling = false;
  const inFlight = new AbortController();
  let settle: { resolve: (result: AgentRunResult) => void; reject: (error: unknown) => void } | undefined;
  const result = new Promise<AgentRunResult>((resolve, reject) => {
    settle = { resolve, reject };
  });

  const emit = (event: AgentProgressEvent): void => {
    try {
      deps.onEvent(event);
    } catch (error) {
      deps.logger?.warn({ err: error, event: event.type }, 'progress reporter threw; the run goes on');
    }
  };

  function perform(action: AgentAction): void {
    switch (action.type) {
      case 'EmitProgress':
        return emit(action.event);
      case 'Log':
        return deps.logger?.[action.level]({ state: state.name }, action.message);
      case 'AbortInFlight':
        return inFlight.abort();
      case 'AwaitUserInput': {
        const texts = deps.steering.drain();
        return dispatch(
          texts.length > 0
            ? { type: 'UserInput', texts, steering: true }
            : { type: 'ShutdownRequested', cause: 'input_ended' },
        );
      }
      case 'Finish':
        emit({ type: 'run_finished', result: action.result });
        return settle?.resolve(action.result);
      default:
        return performAsyncAction(action, {
          deps,
          signal: inFlight.signal,
          dispatch,
          emit,
          state: () => state,
        });
    }
  }

  function dispatch(event: AgentEvent): void {
    queue.push(event);
    if (handling) return;
    handling = true;
    try {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const step = transition(state, next);
        state = step.state;
        step.actions.forEach(perform);
      }
    } catch (error) {
      inFlight.abort();
      settle?.reject(toLoomError(error));
    } finally {
      handling = false;
    }
  }

  return { dispatch, result, currentState: () => state };
}
