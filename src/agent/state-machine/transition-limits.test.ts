import { describe, expect, it } from 'vitest';
import { stateNamed, runEvents, completedEvent, finishOf } from './transition.fixtures.js';

describe('transition: limits', () => {
  it('ends over-budget when a response reaches the token budget, closing its tool calls', () => {
    const { state, actions } = runEvents(
      stateNamed('CallingLlm'),
      completedEvent('more', undefined, { input: 9_000, output: 1_000 }),
    );
    expect(state.name).toBe('ShuttingDown');
    const finish = finishOf(actions);
    expect(finish).toMatchObject({ result: { status: 'over-budget', limit: 'tokens', turns: 1 } });
    expect(actions.some((action) => action.type === 'ExecuteTools')).toBe(false);
    expect(state.context.messages.slice(-2)).toEqual([
      expect.objectContaining({ role: 'tool', tool_call_id: 'c1', is_error: true }),
      expect.objectContaining({ role: 'tool', tool_call_id: 'c2', is_error: true }),
    ]);
  });

  it('ends over-budget on the cost limit', () => {
    const { actions } = runEvents(
      stateNamed('CallingLlm'),
      completedEvent('more', undefined, undefined, 1.5),
    );
    expect(finishOf(actions)).toMatchObject({ result: { status: 'over-budget', limit: 'cost' } });
  });

  it('keeps an answer that reached the budget, but refuses a follow-up call', () => {
    const answered = runEvents(stateNamed('CallingLlm'), completedEvent('final', [], undefined, 2));
    expect(answered.state.name).toBe('WaitingForUserInput');
    const { actions } = runEvents(answered.state, { type: 'UserInput', texts: ['and more'], steering: true });
    expect(finishOf(actions)).toMatchObject({ result: { status: 'over-budget', answer: 'final' } });
  });

  it('fails on the turn limit before the next call, with the tool results kept', () => {
    const post = stateNamed('PostToolsHook');
    const limited = { ...post, context: { ...post.context, turns: 5 } };
    const { actions } = runEvents(limited, { type: 'PostToolsHookCompleted', messages: [], steering: [] });
    expect(finishOf(actions)).toMatchObject({
      result: { status: 'failed', limit: 'turns', messages: post.context.messages },
    });
  });

  it('fails on the wall-time limit', () => {
    const { actions } = runEvents(stateNamed('CallingLlm'), {
      type: 'ShutdownRequested',
      cause: 'wall_time',
    });
    expect(finishOf(actions)).toMatchObject({
      result: { status: 'failed', limit: 'wall_time', reason: 'wall time limit reached: 60000 ms' },
    });
  });
});
