/**
 * Builders of states and events for the state machine's tests (test-only code).
 */
import type { ChatMessage, LlmErrorPayload, LlmResponse, ToolCall } from '../../llm/llm-types.js';
import type { ToolResult } from '../../tools/tool-types.js';
import type { AgentAction } from './agent-action.js';
import type { AgentEvent } from './agent-event.js';
import type { AgentConfig, AgentContext, AgentState, AgentStateName } from './agent-state.js';
import { createInitialState } from './agent-state.js';
import { transition } from './transition.js';

export const config: AgentConfig = {
  model: 'test-model',
  system: 'be brief',
  tools: [{ name: 'read_file', description: 'reads', input_schema: { type: 'object' } }],
  maxRetries: 2,
  maxTurns: 5,
  maxTokens: 10_000,
  maxCostUsd: 1,
  maxWallTimeMs: 60_000,
};

export const readCall: ToolCall = { id: 'c1', name: 'read_file', arguments: { path: 'a.ts' } };
export const bashCall: ToolCall = { id: 'c2', name: 'bash', arguments: { command: 'npm test' } };

export const okResult: ToolResult = { output: 'file contents', isError: false };
export const bashResult: ToolResult = {
  output: 'tests passed',
  isError: false,
  metadata: { command: 'npm test', exitCode: 0, filesChanged: ['a.ts', 'b.ts'] },
};

export const rateLimited: LlmErrorPayload = {
  code: 'rate_limited',
  message: 'slow down',
  retryable: true,
  status: 429,
  retry_after_ms: 2_000,
};
export const badRequest: LlmErrorPayload = {
  code: 'upstream_rejected',
  message: 'bad',
  retryable: false,
  status: 400,
};

export function response(
  content: string,
  toolCalls: ToolCall[] = [],
  tokens = { input: 100, output: 50 },
): LlmResponse {
  return {
    message: { role: 'assistant', content },
    tool_calls: toolCalls,
    usage: { input_tokens: tokens.input, output_tokens: tokens.output },
    finish_reason: toolCalls.length > 0 ? 'tool_use' : 'stop',
  };
}

export function contextWith(messages: ChatMessage[], overrides: Partial<AgentContext> = {}): AgentContext {
  return { ...createInitialState(config, messages).context, ...overrides };
}

const task: ChatMessage = { role: 'user', content: 'fix the test' };
const toolTurn: ChatMessage = { role: 'assistant', content: 'looking', tool_calls: [readCall, bashCall] };

/** One representative state of each name. */
export function stateNamed(name: AgentStateName): AgentState {
  switch (name) {
    case 'WaitingForUserInput':
      return { name, context: contextWith([task, { role: 'assistant', content: 'done' }]) };
    case 'CallingLlm':
      return { name, context: contextWith([task]), retries: 0 };
    case 'ProcessingLlmResponse':
      return {
        name,
        context: contextWith([task]),
        retries: 0,
        partialText: 'partial',
        partialToolCalls: [{ index: 0, id: 'c9', name: 'bash', argumentsText: '{"comm' }],
      };
    case 'ExecutingTools':
      return { name, context: contextWith([task, toolTurn]), calls: [readCall, bashCall], results: {} };
    case 'PostToolsHook':
      return {
        name,
        context: contextWith([
          task,
          toolTurn,
          { role: 'tool', content: 'x', tool_call_id: 'c1' },
          { role: 'tool', content: 'y', tool_call_id: 'c2' },
        ]),
      };
    case 'Error':
      return { name, context: contextWith([task]), origin: 'CallingLlm', error: rateLimited, retries: 0 };
    case 'ShuttingDown': {
      const context = contextWith([task]);
      return {
        name,
        context,
        result: {
          status: 'done',
          answer: '',
          usage: context.usage,
          turns: 0,
          filesChanged: [],
          commands: [],
          messages: context.messages,
        },
      };
    }
  }
}

/** One representative event of each kind (stream events and shutdown causes each count as a kind). */
export const eventsByKind = {
  UserInput: { type: 'UserInput', texts: ['also update the docs'], steering: true },
  'LlmEvent(text_delta)': { type: 'LlmEvent', event: { type: 'text_delta', text: 'Hel' } },
  'LlmEvent(tool_call_delta)': {
    type: 'LlmEvent',
    event: { type: 'tool_call_delta', index: 0, id: 'c5', name: 'grep', arguments_delta: '{"pat' },
  },
  'LlmEvent(completed)': {
    type: 'LlmEvent',
    event: { type: 'completed', response: response('All done.') },
    costUsd: 0.01,
  },
  'LlmEvent(error)': { type: 'LlmEvent', event: { type: 'error', error: rateLimited } },
  ToolProgress: { type: 'ToolProgress', callId: 'c1', text: 'reading' },
  ToolCompleted: { type: 'ToolCompleted', callId: 'c1', result: okResult, durationMs: 3 },
  PostToolsHookCompleted: { type: 'PostToolsHookCompleted', messages: [], steering: [] },
  RetryTimeoutFired: { type: 'RetryTimeoutFired', steering: [] },
  'ShutdownRequested(cancelled)': { type: 'ShutdownRequested', cause: 'cancelled' },
  'ShutdownRequested(wall_time)': { type: 'ShutdownRequested', cause: 'wall_time' },
  'ShutdownRequested(input_ended)': { type: 'ShutdownRequested', cause: 'input_ended' },
} satisfies Record<string, AgentEvent>;

export type EventKind = keyof typeof eventsByKind;

/** Feeds events one after another; returns the last state and every action returned. */
export function runEvents(
  state: AgentState,
  ...events: AgentEvent[]
): { state: AgentState; actions: AgentAction[] } {
  let current = state;
  const actions: AgentAction[] = [];
  for (const event of events) {
    const step = transition(current, event);
    current = step.state;
    actions.push(...step.actions);
  }
  return { state: current, actions };
}

export function completedEvent(
  content: string,
  calls: ToolCall[] = [readCall, bashCall],
  tokens?: { input: number; output: number },
  costUsd = 0.01,
): AgentEvent {
  return {
    type: 'LlmEvent',
    event: { type: 'completed', response: response(content, calls, tokens) },
    costUsd,
  };
}

export function toolCompleted(callId: string, result: ToolResult = okResult): AgentEvent {
  return { type: 'ToolCompleted', callId, result, durationMs: 1 };
}

export function finishOf(actions: AgentAction[]): Extract<AgentAction, { type: 'Finish' }> | undefined {
  return actions.find(
    (action): action is Extract<AgentAction, { type: 'Finish' }> => action.type === 'Finish',
  );
}
