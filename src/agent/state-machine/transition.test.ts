/**
 * Every (state, event) pair of the machine, valid and invalid, with the next state and the kinds of
 * actions it returns. Invalid pairs must return the very same state object plus one `Log` action.
 */
import { describe, expect, it } from 'vitest';
import type { AgentActionType } from './agent-action.js';
import type { AgentStateName } from './agent-state.js';
import { transition } from './transition.js';
import { eventsByKind, stateNamed, type EventKind } from './transition.fixtures.js';

type Expected = [AgentStateName, AgentActionType[]] | 'ignored';

const stop: Expected = ['ShuttingDown', ['AbortInFlight', 'Finish']];
const startCall: Expected = ['CallingLlm', ['EmitProgress', 'CallLlm']];
const answer: Expected = ['WaitingForUserInput', ['EmitProgress', 'AwaitUserInput']];
const retry: Expected = ['Error', ['ScheduleRetry']];

const table: Record<AgentStateName, Record<EventKind, Expected>> = {
  WaitingForUserInput: {
    UserInput: ['CallingLlm', ['EmitProgress', 'EmitProgress', 'CallLlm']],
    'LlmEvent(text_delta)': 'ignored',
    'LlmEvent(tool_call_delta)': 'ignored',
    'LlmEvent(completed)': 'ignored',
    'LlmEvent(error)': 'ignored',
    ToolProgress: 'ignored',
    ToolCompleted: 'ignored',
    PostToolsHookCompleted: 'ignored',
    RetryTimeoutFired: 'ignored',
    'ShutdownRequested(cancelled)': stop,
    'ShutdownRequested(wall_time)': stop,
    'ShutdownRequested(input_ended)': ['ShuttingDown', ['Finish']],
  },
  CallingLlm: {
    UserInput: 'ignored',
    'LlmEvent(text_delta)': ['ProcessingLlmResponse', ['EmitProgress']],
    'LlmEvent(tool_call_delta)': ['ProcessingLlmResponse', []],
    'LlmEvent(completed)': answer,
    'LlmEvent(error)': retry,
    ToolProgress: 'ignored',
    ToolCompleted: 'ignored',
    PostToolsHookCompleted: 'ignored',
    RetryTimeoutFired: 'ignored',
    'ShutdownRequested(cancelled)': stop,
    'ShutdownRequested(wall_time)': stop,
    'ShutdownRequested(input_ended)': 'ignored',
  },
  ProcessingLlmResponse: {
    UserInput: 'ignored',
    'LlmEvent(text_delta)': ['ProcessingLlmResponse', ['EmitProgress']],
    'LlmEvent(tool_call_delta)': ['ProcessingLlmResponse', []],
    'LlmEvent(completed)': answer,
    'LlmEvent(error)': retry,
    ToolProgress: 'ignored',
    ToolCompleted: 'ignored',
    PostToolsHookCompleted: 'ignored',
    RetryTimeoutFired: 'ignored',
    'ShutdownRequested(cancelled)': stop,
    'ShutdownRequested(wall_time)': stop,
    'ShutdownRequested(input_ended)': 'ignored',
  },
  ExecutingTools: {
    UserInput: 'ignored',
    'LlmEvent(text_delta)': 'ignored',
    'LlmEvent(tool_call_delta)': 'ignored',
    'LlmEvent(completed)': 'ignored',
    'LlmEvent(error)': 'ignored',
    ToolProgress: ['ExecutingTools', ['EmitProgress']],
    ToolCompleted: ['ExecutingTools', ['EmitProgress']],
    PostToolsHookCompleted: 'ignored',
    RetryTimeoutFired: 'ignored',
    'ShutdownRequested(cancelled)': stop,
    'ShutdownRequested(wall_time)': stop,
    'ShutdownRequested(input_ended)': 'ignored',
  },
  PostToolsHook: {
    UserInput: 'ignored',
    'LlmEvent(text_delta)': 'ignored',
    'LlmEvent(tool_call_delta)': 'ignored',
    'LlmEvent(completed)': 'ignored',
    'LlmEvent(error)': 'ignored',
    ToolProgress: 'ignored',
    ToolCompleted: 'ignored',
    PostToolsHookCompleted: startCall,
    RetryTimeoutFired: 'ignored',
    'ShutdownRequested(cancelled)': stop,
    'ShutdownRequested(wall_time)': stop,
    'ShutdownRequested(input_ended)': 'ignored',
  },
  Error: {
    UserInput: 'ignored',
    'LlmEvent(text_delta)': 'ignored',
    'LlmEvent(tool_call_delta)': 'ignored',
    'LlmEvent(completed)': 'ignored',
    'LlmEvent(error)': 'ignored',
    ToolProgress: 'ignored',
    ToolCompleted: 'ignored',
    PostToolsHookCompleted: 'ignored',
    RetryTimeoutFired: startCall,
    'ShutdownRequested(cancelled)': stop,
    'ShutdownRequested(wall_time)': stop,
    'ShutdownRequested(input_ended)': 'ignored',
  },
  ShuttingDown: {
    UserInput: 'ignored',
    'LlmEvent(text_delta)': 'ignored',
    'LlmEvent(tool_call_delta)': 'ignored',
    'LlmEvent(completed)': 'ignored',
    'LlmEvent(error)': 'ignored',
    ToolProgress: 'ignored',
    ToolCompleted: 'ignored',
    PostToolsHookCompleted: 'ignored',
    RetryTimeoutFired: 'ignored',
    'ShutdownRequested(cancelled)': 'ignored',
    'ShutdownRequested(wall_time)': 'ignored',
    'ShutdownRequested(input_ended)': 'ignored',
  },
};

const pairs = Object.entries(table).flatMap(([stateName, row]) =>
  Object.entries(row).map(([eventKind, expected]) => ({
    stateName: stateName as AgentStateName,
    eventKind: eventKind as EventKind,
    expected,
  })),
);

describe('transition: every (state, event) pair', () => {
  it('covers all 7 states × 12 event kinds', () => {
    expect(pairs).toHaveLength(7 * 12);
  });

  it.each(pairs)('$stateName + $eventKind', ({ stateName, eventKind, expected }) => {
    const state = stateNamed(stateName);
    const before = structuredClone(state);
    const result = transition(state, eventsByKind[eventKind]);
    expect(state).toEqual(before); // pure: the input state is never mutated
    if (expected === 'ignored') {
      expect(result.state).toBe(state);
      expect(result.actions).toEqual([
        {
          type: 'Log',
          level: stateName === 'ShuttingDown' ? 'debug' : 'warn',
          message: `ignored ${eventKind} in state ${stateName}`,
        },
      ]);
      return;
    }
    const [nextName, actionTypes] = expected;
    expect(result.state.name).toBe(nextName);
    expect(result.actions.map((action) => action.type)).toEqual(actionTypes);
  });
});
