import { describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/index.js';
import type { AgentProgressEvent } from '../../src/agent/index.js';
import { createScriptedLlmClient, scriptedStep } from '../../src/llm/scripted-llm-client.js';
import { createRecordingToolExecutor, recordingSleep } from './support/recording-tool-executor.js';

const tools = createRecordingToolExecutor({});
const policy = { baseDelayMs: 100, maxDelayMs: 1_000, minDelayMs: 10 };

describe('runAgent retries', () => {
  it('waits at least retry-after on a 429, then succeeds', async () => {
    const llm = createScriptedLlmClient([scriptedStep.rateLimited(20_000), scriptedStep.text('ok')]);
    const clock = recordingSleep();
    const events: AgentProgressEvent[] = [];
    const result = await runAgent({
      llm,
      model: 'm',
      tools,
      prompt: 'hi',
      sleep: clock.sleep,
      random: () => 0.5,
      retryPolicy: policy,
      onEvent: (event) => events.push(event),
    });
    expect(result).toMatchObject({ status: 'done', answer: 'ok' });
    expect(clock.delays).toEqual([20_000]);
    expect(events.find((event) => event.type === 'retry_scheduled')).toMatchObject({
      attempt: 1,
      delayMs: 20_000,
      error: { status: 429 },
    });
    expect(events.filter((event) => event.type === 'turn_started')).toEqual([
      { type: 'turn_started', turn: 1, attempt: 0 },
      { type: 'turn_started', turn: 1, attempt: 1 },
    ]);
    expect(llm.requests[1]).toEqual(llm.requests[0]);
  });

  it('backs off exponentially with jitter on 529, 500 and 503', async () => {
    const llm = createScriptedLlmClient([
      scriptedStep.overloaded(),
      scriptedStep.httpError(500),
      scriptedStep.httpError(503),
      scriptedStep.text('ok'),
    ]);
    const clock = recordingSleep();
    const draws = [0.999, 0.999, 0];
    const result = await runAgent({
      llm,
      model: 'm',
      tools,
      prompt: 'hi',
      sleep: clock.sleep,
      random: () => draws.shift() ?? 0,
      retryPolicy: policy,
    });
    expect(result.status).toBe('done');
    expect(clock.delays).toEqual([100, 200, 10]);
  });

  it.each([400, 401, 403])('never retries HTTP %i: fails at once with the error', async (status) => {
    const llm = createScriptedLlmClient([scriptedStep.httpError(status), scriptedStep.text('unreachable')]);
    const clock = recordingSleep();
    const result = await runAgent({ llm, model: 'm', tools, prompt: 'hi', sleep: clock.sleep });
    expect(result).toMatchObject({ status: 'failed', error: { status, retryable: false } });
    expect(result.reason).toContain(`HTTP ${status}`);
    expect(llm.requests).toHaveLength(1);
    expect(clock.delays).toEqual([]);
  });

  it('fails with a clear reason after maxRetries', async () => {
    const llm = createScriptedLlmClient(() => scriptedStep.overloaded());
    const clock = recordingSleep();
    const result = await runAgent({
      llm,
      model: 'm',
      tools,
      prompt: 'hi',
      sleep: clock.sleep,
      maxRetries: 3,
    });
    expect(result).toMatchObject({
      status: 'failed',
      reason: 'model call failed after 3 retries: scripted provider answered HTTP 529',
      error: { retryable: true, status: 529 },
    });
    expect(llm.requests).toHaveLength(4);
    expect(clock.delays).toHaveLength(3);
  });

  it('uses a real timer by default and honours a short retry-after', async () => {
    const llm = createScriptedLlmClient([scriptedStep.rateLimited(80), scriptedStep.text('ok')]);
    const started = performance.now();
    const result = await runAgent({
      llm,
      model: 'm',
      tools,
      prompt: 'hi',
      retryPolicy: { ...policy, baseDelayMs: 20 },
    });
    expect(result.status).toBe('done');
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });
});
