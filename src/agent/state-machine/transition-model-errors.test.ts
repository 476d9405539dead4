import { describe, expect, it } from 'vitest';
import type { AgentEvent } from './agent-event.js';
import { badRequest, rateLimited, stateNamed, runEvents, finishOf } from './transition.fixtures.js';

describe('transition: model errors', () => {
  it('drops the partial turn and schedules a retry honouring retry-after', () => {
    const { state, actions } = runEvents(stateNamed('ProcessingLlmResponse'), {
      type: 'LlmEvent',
      event: { type: 'error', error: rateLimited },
    });
    expect(state).toMatchObject({ name: 'Error', origin: 'ProcessingLlmResponse', retries: 0 });
    expect(state.context.messages).toEqual([{ role: 'user', content: 'fix the test' }]);
    expect(actions).toEqual([{ type: 'ScheduleRetry', attempt: 1, retryAfterMs: 2_000, error: rateLimited }]);
  });

  it('retries as the next attempt of the same call, with steering that arrived meanwhile', () => {
    const { state, actions } = runEvents(stateNamed('Error'), {
      type: 'RetryTimeoutFired',
      steering: ['use pnpm'],
    });
    expect(state).toMatchObject({ name: 'CallingLlm', retries: 1 });
    expect(state.context.messages.at(-1)).toEqual({ role: 'user', content: 'use pnpm' });
    expect(actions.map((action) => action.type)).toEqual(['EmitProgress', 'EmitProgress', 'CallLlm']);
    expect(actions[0]).toEqual({
      type: 'EmitProgress',
      event: { type: 'steering_injected', text: 'use pnpm' },
    });
  });

  it('fails at once on a non-retryable error, keeping the error for the caller', () => {
    const { state, actions } = runEvents(stateNamed('CallingLlm'), {
      type: 'LlmEvent',
      event: { type: 'error', error: badRequest },
    });
    expect(state.name).toBe('ShuttingDown');
    expect(finishOf(actions)).toMatchObject({
      result: { status: 'failed', reason: 'model call failed: bad', error: badRequest },
    });
  });

  it('fails after maxRetries retryable errors', () => {
    const error = { type: 'LlmEvent', event: { type: 'error', error: rateLimited } } as const;
    const fire: AgentEvent = { type: 'RetryTimeoutFired', steering: [] };
    const { actions } = runEvents(stateNamed('CallingLlm'), error, fire, error, fire, error);
    expect(
      actions.filter((action) => action.type === 'ScheduleRetry').map((action) => action.attempt),
    ).toEqual([1, 2]);
    expect(finishOf(actions)).toMatchObject({
      result: { status: 'failed', reason: 'model call failed after 2 retries: slow down' },
    });
  });
});
