import { describe, expect, it } from 'vitest';
import {
  bashCall,
  bashResult,
  contextWith,
  readCall,
  stateNamed,
  runEvents,
  toolCompleted,
  finishOf,
} from './transition.fixtures.js';

describe('transition: shutdown and resume', () => {
  it('cancels mid-stream with the partial text as the answer and nothing half-written in the transcript', () => {
    const { actions } = runEvents(stateNamed('ProcessingLlmResponse'), {
      type: 'ShutdownRequested',
      cause: 'cancelled',
    });
    expect(actions[0]).toEqual({ type: 'AbortInFlight' });
    expect(finishOf(actions)).toMatchObject({
      result: {
        status: 'cancelled',
        answer: 'partial',
        messages: [{ role: 'user', content: 'fix the test' }],
      },
    });
  });

  it('cancels mid-tools keeping finished results and closing the rest, in call order', () => {
    const { actions } = runEvents(stateNamed('ExecutingTools'), toolCompleted('c2', bashResult), {
      type: 'ShutdownRequested',
      cause: 'cancelled',
    });
    const finish = finishOf(actions);
    expect(finish?.type === 'Finish' && finish.result.messages.slice(-2)).toEqual([
      {
        role: 'tool',
        content: 'Tool call not completed: cancelled by the caller.',
        tool_call_id: 'c1',
        is_error: true,
      },
      { role: 'tool', content: 'tests passed', tool_call_id: 'c2' },
    ]);
    expect(finish).toMatchObject({
      result: { commands: [{ command: 'npm test', exitCode: 0 }], answer: 'looking' },
    });
  });

  it('ends done with the latest answer when input ends', () => {
    const { actions } = runEvents(stateNamed('WaitingForUserInput'), {
      type: 'ShutdownRequested',
      cause: 'input_ended',
    });
    expect(finishOf(actions)).toMatchObject({ result: { status: 'done', answer: 'done' } });
  });

  it('resumes a transcript by running the calls left without results', () => {
    const messages = [
      { role: 'user' as const, content: 'task' },
      { role: 'assistant' as const, content: '', tool_calls: [readCall, bashCall] },
      { role: 'tool' as const, content: 'ok', tool_call_id: 'c1' },
    ];
    const { state, actions } = runEvents(
      { name: 'WaitingForUserInput', context: contextWith(messages) },
      {
        type: 'UserInput',
        texts: [],
        steering: false,
      },
    );
    expect(state.name).toBe('ExecutingTools');
    expect(actions).toEqual([{ type: 'ExecuteTools', calls: [bashCall] }]);
  });

  it('resumes a transcript ending with tool results by calling the model', () => {
    const messages = [
      { role: 'user' as const, content: 'task' },
      { role: 'assistant' as const, content: '', tool_calls: [readCall] },
      { role: 'tool' as const, content: 'ok', tool_call_id: 'c1' },
    ];
    const { state } = runEvents(
      { name: 'WaitingForUserInput', context: contextWith(messages) },
      {
        type: 'UserInput',
        texts: [],
        steering: false,
      },
    );
    expect(state.name).toBe('CallingLlm');
  });

  it('has nothing to do for a transcript that already ends with an answer', () => {
    const waiting = stateNamed('WaitingForUserInput');
    const { state, actions } = runEvents(waiting, { type: 'UserInput', texts: [], steering: false });
    expect(state.name).toBe('WaitingForUserInput');
    expect(actions.map((action) => action.type)).toEqual(['Log', 'AwaitUserInput']);
  });
});
