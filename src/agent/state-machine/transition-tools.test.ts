import { describe, expect, it } from 'vitest';
import { transition } from './transition.js';
import { bashResult, stateNamed, runEvents, toolCompleted, finishOf } from './transition.fixtures.js';

describe('transition: tools', () => {
  const executing = stateNamed('ExecutingTools');

  it('puts results in call order whatever order they finish in, and records files and commands', () => {
    const { state, actions } = runEvents(executing, toolCompleted('c2', bashResult), toolCompleted('c1'));
    expect(state.name).toBe('PostToolsHook');
    expect(state.context.messages.slice(-2)).toEqual([
      { role: 'tool', content: 'file contents', tool_call_id: 'c1' },
      { role: 'tool', content: 'tests passed', tool_call_id: 'c2' },
    ]);
    expect(state.context.filesChanged).toEqual(['a.ts', 'b.ts']);
    expect(state.context.commands).toEqual([{ command: 'npm test', exitCode: 0, timedOut: false }]);
    expect(actions.at(-1)).toEqual({ type: 'RunPostToolsHook' });
  });

  it('marks error results as errors for the model', () => {
    const { state } = runEvents(
      executing,
      toolCompleted('c1', { output: 'no such file', isError: true }),
      toolCompleted('c2'),
    );
    expect(state.context.messages.at(-2)).toEqual({
      role: 'tool',
      content: 'no such file',
      tool_call_id: 'c1',
      is_error: true,
    });
  });

  it('ignores a result for an unknown call or a second result for the same call', () => {
    const once = runEvents(executing, toolCompleted('c1')).state;
    expect(transition(once, toolCompleted('c1')).state).toBe(once);
    expect(transition(once, toolCompleted('zz')).state).toBe(once);
  });

  it('appends hook notes and steering after the results, then calls the model', () => {
    const { state, actions } = runEvents(stateNamed('PostToolsHook'), {
      type: 'PostToolsHookCompleted',
      messages: ['lint: 2 errors'],
      steering: ['skip the docs'],
    });
    expect(state.name).toBe('CallingLlm');
    expect(state.context.messages.slice(-2)).toEqual([
      { role: 'user', content: 'lint: 2 errors' },
      { role: 'user', content: 'skip the docs' },
    ]);
    expect(actions[0]).toEqual({
      type: 'EmitProgress',
      event: { type: 'steering_injected', text: 'skip the docs' },
    });
  });

  it('fails the run when the hook threw', () => {
    const { actions } = runEvents(stateNamed('PostToolsHook'), {
      type: 'PostToolsHookCompleted',
      messages: [],
      steering: [],
      error: 'boom',
    });
    expect(finishOf(actions)).toMatchObject({
      result: { status: 'failed', reason: 'post-tools hook failed: boom' },
    });
  });
});
