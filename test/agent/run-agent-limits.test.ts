import { describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/index.js';
import { createScriptedLlmClient, scriptedStep } from '../../src/llm/scripted-llm-client.js';
import { createRecordingToolExecutor, hangingTool, slowReader } from './support/recording-tool-executor.js';
import { transcriptProblems } from './support/transcript-problems.js';

const readForever = () =>
  createScriptedLlmClient(() =>
    scriptedStep.toolCalls([{ name: 'read_file', arguments: { path: 'a' } }], {
      usage: { input_tokens: 1_000, output_tokens: 100 },
    }),
  );
const tools = createRecordingToolExecutor({ read_file: slowReader(0), hang: hangingTool });

describe('runAgent limits', () => {
  it('fails on the turn limit with a clear reason, after the last tool results', async () => {
    const llm = readForever();
    const result = await runAgent({ llm, model: 'm', tools, prompt: 'loop', limits: { maxTurns: 3 } });
    expect(result).toMatchObject({ status: 'failed', limit: 'turns', turns: 3 });
    expect(result.reason).toContain('turn limit reached: 3 of 3');
    expect(llm.requests).toHaveLength(3);
    expect(result.messages.at(-1)?.role).toBe('tool');
    expect(transcriptProblems(result.messages)).toEqual([]);
  });

  it('ends over-budget when tokens reach maxTokens', async () => {
    const llm = readForever();
    const executor = createRecordingToolExecutor({ read_file: slowReader(0) });
    const result = await runAgent({
      llm,
      model: 'm',
      tools: executor,
      prompt: 'loop',
      limits: { maxTokens: 2_500 },
    });
    expect(result).toMatchObject({
      status: 'over-budget',
      limit: 'tokens',
      turns: 3,
      usage: { input_tokens: 3_000, output_tokens: 300 },
    });
    expect(result.reason).toBe('token budget reached: 3300 of 2500 tokens used');
    // The last response's tool calls were not run, and are closed with error results.
    expect(executor.calls).toHaveLength(2);
    expect(result.messages.at(-1)).toMatchObject({ role: 'tool', is_error: true });
    expect(transcriptProblems(result.messages)).toEqual([]);
  });

  it('ends over-budget when cost reaches maxCostUsd', async () => {
    const llm = readForever();
    const result = await runAgent({
      llm,
      model: 'priced',
      tools,
      prompt: 'loop',
      limits: { maxCostUsd: 0.05 },
      costOf: (model, usage) =>
        model === 'priced' ? (usage.input_tokens + usage.output_tokens) * 0.00001 : 0,
    });
    expect(result).toMatchObject({ status: 'over-budget', limit: 'cost', turns: 5 });
    expect(result.usage.cost_usd).toBeCloseTo(0.055);
  });

  it('fails on the wall-time limit even while a tool hangs, and aborts the tool', async () => {
    const executor = createRecordingToolExecutor({ hang: hangingTool });
    const llm = createScriptedLlmClient([scriptedStep.toolCalls([{ id: 'h', name: 'hang', arguments: {} }])]);
    const started = performance.now();
    const result = await runAgent({
      llm,
      model: 'm',
      tools: executor,
      prompt: 'wait',
      limits: { maxWallTimeMs: 80 },
    });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result).toMatchObject({
      status: 'failed',
      limit: 'wall_time',
      reason: 'wall time limit reached: 80 ms',
    });
    expect(executor.calls[0]?.sawAbort).toBe(true);
    expect(result.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'h', is_error: true });
  });

  it('fails on the wall-time limit during a stalled stream', async () => {
    const llm = createScriptedLlmClient([scriptedStep.stall({ text: 'hmm' })]);
    const result = await runAgent({
      llm,
      model: 'm',
      tools,
      prompt: 'wait',
      idleTimeoutMs: 10_000,
      limits: { maxWallTimeMs: 50 },
    });
    expect(result).toMatchObject({ status: 'failed', limit: 'wall_time', answer: 'hmm' });
  });
});
