import { describe, expect, it } from 'vitest';
import { bashCall, readCall, stateNamed, runEvents, completedEvent } from './transition.fixtures.js';

describe('transition: a model turn', () => {
  it('starts a call with the whole request when the prompt arrives', () => {
    const { state, actions } = runEvents(stateNamed('WaitingForUserInput'), {
      type: 'UserInput',
      texts: ['go'],
      steering: false,
    });
    expect(state).toMatchObject({ name: 'CallingLlm', retries: 0 });
    expect(actions).toContainEqual({
      type: 'CallLlm',
      attempt: 0,
      request: {
        model: 'test-model',
        system: 'be brief',
        messages: [
          { role: 'user', content: 'fix the test' },
          { role: 'assistant', content: 'done' },
          { role: 'user', content: 'go' },
        ],
        tools: [expect.objectContaining({ name: 'read_file' })],
      },
    });
    expect(actions).not.toContainEqual(
      expect.objectContaining({ event: expect.objectContaining({ type: 'steering_injected' }) }),
    );
  });

  it('records a response with tool calls, counts usage and cost, and asks for the tools', () => {
    const { state, actions } = runEvents(
      stateNamed('CallingLlm'),
      completedEvent('looking', undefined, { input: 100, output: 50 }, 0.25),
    );
    expect(state.name).toBe('ExecutingTools');
    expect(state.context.turns).toBe(1);
    expect(state.context.usage).toEqual({ input_tokens: 100, output_tokens: 50, cost_usd: 0.25 });
    expect(state.context.messages.at(-1)).toEqual({
      role: 'assistant',
      content: 'looking',
      tool_calls: [readCall, bashCall],
    });
    expect(actions).toContainEqual({ type: 'ExecuteTools', calls: [readCall, bashCall] });
  });

  it('buffers deltas but never puts them in the transcript', () => {
    const { state } = runEvents(
      stateNamed('CallingLlm'),
      { type: 'LlmEvent', event: { type: 'text_delta', text: 'ab' } },
      {
        type: 'LlmEvent',
        event: { type: 'tool_call_delta', index: 0, id: 'c7', name: 'bash', arguments_delta: '{"a' },
      },
      { type: 'LlmEvent', event: { type: 'tool_call_delta', index: 0, arguments_delta: '":1' } },
    );
    expect(state).toMatchObject({
      name: 'ProcessingLlmResponse',
      partialText: 'ab',
      partialToolCalls: [{ index: 0, id: 'c7', name: 'bash', argumentsText: '{"a":1' }],
    });
    expect(state.context.messages).toEqual(stateNamed('CallingLlm').context.messages);
  });
});
