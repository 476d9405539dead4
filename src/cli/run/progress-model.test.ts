import { describe, expect, it } from 'vitest';
import type { AgentProgressEvent } from '../../agent/index.js';
import { createProgressModel, formatDuration } from './progress-model.js';

const call = { id: 'c1', name: 'bash', arguments: { command: 'npm test' } };

describe('createProgressModel', () => {
  it('turns a turn with tools into finished lines and a status', () => {
    const model = createProgressModel({ showText: true });
    const events: AgentProgressEvent[] = [
      { type: 'turn_started', turn: 1, attempt: 0 },
      { type: 'text_delta', text: 'Running the ' },
      { type: 'text_delta', text: 'tests.' },
      { type: 'tool_call_started', call, readOnly: false },
    ];
    const lines = events.flatMap((event) => model.apply(event));
    expect(lines).toEqual([
      { kind: 'turn', text: '1' },
      { kind: 'text', text: 'Running the tests.' },
      { kind: 'tool', text: 'bash: npm test' },
    ]);
    expect(model.status()).toBe('turn 1 · bash: npm test');
    model.apply({ type: 'tool_progress', callId: 'c1', text: 'PASS src/a.test.ts\n' });
    expect(model.status()).toBe('turn 1 · bash: npm test › PASS src/a.test.ts');
    expect(model.apply({ type: 'tool_call_finished', call, isError: true, durationMs: 1500 })).toEqual([
      { kind: 'fail', text: 'bash: npm test (1.5 s)' },
    ]);
  });

  it('leaves the text out when the REPL streams it itself', () => {
    const model = createProgressModel({ showText: false });
    model.apply({ type: 'text_delta', text: 'hello' });
    expect(model.apply({ type: 'tool_call_started', call, readOnly: false })).toEqual([
      { kind: 'tool', text: 'bash: npm test' },
    ]);
  });

  it('reports retries with the error and the wait, and no turn line for a retried attempt', () => {
    const model = createProgressModel({ showText: true });
    const lines = model.apply({
      type: 'retry_scheduled',
      attempt: 1,
      delayMs: 1000,
      reason: 'rate limited',
      error: { code: 'rate_limited', message: 'slow down', retryable: true, status: 429 },
    });
    expect(lines).toEqual([{ kind: 'retry', text: 'rate_limited HTTP 429, retry 1 in 1.0 s: slow down' }]);
    expect(model.apply({ type: 'turn_started', turn: 2, attempt: 1 })).toEqual([]);
  });

  it('tracks the cost', () => {
    const model = createProgressModel({ showText: true });
    model.apply({
      type: 'usage_updated',
      usage: { input_tokens: 1, output_tokens: 1, cost_usd: 0.25 },
      turns: 1,
    });
    expect(model.costUsd()).toBe(0.25);
  });
});

describe('formatDuration', () => {
  it('uses ms, seconds, then minutes', () => {
    expect(formatDuration(12)).toBe('12 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});
