import { describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/index.js';
import { createScriptedLlmClient, scriptedStep } from '../../src/llm/scripted-llm-client.js';
import { createRecordingToolExecutor, hangingTool, slowReader } from './support/recording-tool-executor.js';
import { transcriptProblems } from './support/transcript-problems.js';

describe('runAgent cancellation', () => {
  it('cancels mid-stream: aborts the call and keeps the partial answer out of the transcript', async () => {
    const controller = new AbortController();
    let streamSignal: AbortSignal | undefined;
    const scripted = createScriptedLlmClient([scriptedStep.stall({ text: 'Half an ans' })]);
    const llm = {
      provider: 'spy',
      stream: (
        request: Parameters<typeof scripted.stream>[0],
        options?: Parameters<typeof scripted.stream>[1],
      ) => {
        streamSignal = options?.signal;
        return scripted.stream(request, options);
      },
    };
    const result = await runAgent({
      llm,
      model: 'm',
      tools: createRecordingToolExecutor({}),
      prompt: 'answer',
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'text_delta') controller.abort();
      },
    });
    expect(result).toMatchObject({
      status: 'cancelled',
      reason: 'cancelled by the caller',
      answer: 'Half an ans',
      messages: [{ role: 'user', content: 'answer' }],
    });
    expect(streamSignal?.aborted).toBe(true);
  });

  it('cancels mid-tool: the tool sees the abort, later calls never start, the transcript stays valid', async () => {
    const controller = new AbortController();
    const executor = createRecordingToolExecutor({ hang: hangingTool, read_file: slowReader(0) });
    const llm = createScriptedLlmClient([
      scriptedStep.toolCalls(
        [
          { id: 'h', name: 'hang', arguments: {} },
          { id: 'r', name: 'read_file', arguments: { path: 'a' } },
        ],
        { text: 'Working on it' },
      ),
    ]);
    const result = await runAgent({
      llm,
      model: 'm',
      tools: executor,
      prompt: 'go',
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'tool_call_started') setTimeout(() => controller.abort(), 10);
      },
    });
    expect(result).toMatchObject({ status: 'cancelled', answer: 'Working on it' });
    expect(executor.calls.map((call) => [call.id, call.sawAbort])).toEqual([['h', true]]);
    expect(result.messages.slice(-2)).toEqual([
      {
        role: 'tool',
        content: 'Tool call not completed: cancelled by the caller.',
        tool_call_id: 'h',
        is_error: true,
      },
      {
        role: 'tool',
        content: 'Tool call not completed: cancelled by the caller.',
        tool_call_id: 'r',
        is_error: true,
      },
    ]);
    expect(transcriptProblems(result.messages)).toEqual([]);
  });

  it('cancels during a retry backoff without waiting it out', async () => {
    const controller = new AbortController();
    const llm = createScriptedLlmClient([scriptedStep.rateLimited(60_000), scriptedStep.text('late')]);
    const started = performance.now();
    const result = await runAgent({
      llm,
      model: 'm',
      tools: createRecordingToolExecutor({}),
      prompt: 'hi',
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'retry_scheduled') setTimeout(() => controller.abort(), 10);
      },
    });
    expect(result.status).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(llm.requests).toHaveLength(1);
  });

  it('does nothing for a signal aborted before the start', async () => {
    const llm = createScriptedLlmClient([scriptedStep.text('never')]);
    const result = await runAgent({
      llm,
      model: 'm',
      tools: createRecordingToolExecutor({}),
      prompt: 'hi',
      signal: AbortSignal.abort(),
    });
    expect(result).toMatchObject({ status: 'cancelled', turns: 0 });
    expect(llm.requests).toHaveLength(0);
  });
});
