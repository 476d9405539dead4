import { describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/index.js';
import type { AgentProgressEvent } from '../../src/agent/index.js';
import { isLoomError } from '../../src/errors/index.js';
import { createScriptedLlmClient, scriptedStep } from '../../src/llm/scripted-llm-client.js';
import { createRecordingToolExecutor, slowReader, slowWriter } from './support/recording-tool-executor.js';
import { transcriptProblems } from './support/transcript-problems.js';

const tools = createRecordingToolExecutor({ read_file: slowReader(0), write_file: slowWriter(0) });

describe('runAgent', () => {
  it('answers a prompt: done, the answer, usage, one turn, and progress events in order', async () => {
    const llm = createScriptedLlmClient(
      [scriptedStep.text('Hello there', { input_tokens: 12, output_tokens: 3 })],
      {
        chunkSize: 5,
      },
    );
    const events: AgentProgressEvent[] = [];
    const result = await runAgent({
      llm,
      model: 'm',
      system: 'sys',
      tools,
      prompt: 'hi',
      costOf: (_model, usage) => usage.input_tokens * 0.001,
      onEvent: (event) => events.push(event),
    });
    expect(result).toEqual({
      status: 'done',
      answer: 'Hello there',
      usage: { input_tokens: 12, output_tokens: 3, cost_usd: 0.012 },
      turns: 1,
      filesChanged: [],
      commands: [],
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'Hello there' },
      ],
    });
    expect(events.map((event) => event.type)).toEqual([
      'run_started',
      'turn_started',
      'text_delta',
      'text_delta',
      'text_delta',
      'usage_updated',
      'run_finished',
    ]);
    expect(llm.requests[0]).toMatchObject({
      model: 'm',
      system: 'sys',
      tools: [{ name: 'read_file' }, { name: 'write_file' }],
    });
  });

  it('runs the tools the model asks for and sends their results back, then finishes', async () => {
    const llm = createScriptedLlmClient([
      scriptedStep.toolCalls([{ id: 'w1', name: 'write_file', arguments: { path: 'src/a.ts' } }], {
        text: 'writing',
      }),
      scriptedStep.text('Wrote it.'),
    ]);
    const result = await runAgent({ llm, model: 'm', tools, prompt: 'write a.ts' });
    expect(result).toMatchObject({
      status: 'done',
      answer: 'Wrote it.',
      turns: 2,
      filesChanged: ['src/a.ts'],
    });
    expect(llm.requests[1]?.messages.slice(-2)).toEqual([
      {
        role: 'assistant',
        content: 'writing',
        tool_calls: [{ id: 'w1', name: 'write_file', arguments: { path: 'src/a.ts' } }],
      },
      { role: 'tool', content: 'wrote src/a.ts', tool_call_id: 'w1' },
    ]);
    expect(transcriptProblems(result.messages)).toEqual([]);
  });

  it('records commands with exit codes and timeouts from tool metadata', async () => {
    const bash = createRecordingToolExecutor({
      bash: {
        readOnly: false,
        async run(args) {
          const command = String(args.command);
          const timedOut = command === 'sleep 999';
          return {
            output: 'out',
            isError: command !== 'true',
            metadata: { command, ...(timedOut ? { timedOut } : { exitCode: command === 'true' ? 0 : 1 }) },
          };
        },
      },
    });
    const llm = createScriptedLlmClient([
      scriptedStep.toolCalls([
        { name: 'bash', arguments: { command: 'true' } },
        { name: 'bash', arguments: { command: 'false' } },
        { name: 'bash', arguments: { command: 'sleep 999' } },
      ]),
      scriptedStep.text('ok'),
    ]);
    const result = await runAgent({ llm, model: 'm', tools: bash, prompt: 'run' });
    expect(result.commands).toEqual([
      { command: 'true', exitCode: 0, timedOut: false },
      { command: 'false', exitCode: 1, timedOut: false },
      { command: 'sleep 999', exitCode: null, timedOut: true },
    ]);
  });

  it('turns a failing or throwing tool into an error result the model sees, and goes on', async () => {
    const broken = createRecordingToolExecutor({
      explode: {
        readOnly: false,
        run: async () => {
          throw new Error('disk on fire');
        },
      },
    });
    const llm = createScriptedLlmClient([
      scriptedStep.toolCalls([
        { id: 'x', name: 'explode', arguments: {} },
        { id: 'y', name: 'no_such_tool', arguments: {} },
      ]),
      scriptedStep.text('I could not do it'),
    ]);
    const result = await runAgent({ llm, model: 'm', tools: broken, prompt: 'try' });
    expect(result.status).toBe('done');
    expect(llm.requests[1]?.messages.slice(-2)).toEqual([
      { role: 'tool', content: 'Tool explode failed: disk on fire', tool_call_id: 'x', is_error: true },
      { role: 'tool', content: 'unknown tool no_such_tool', tool_call_id: 'y', is_error: true },
    ]);
  });

  it('keeps running when a progress reporter throws', async () => {
    const llm = createScriptedLlmClient([scriptedStep.text('fine')]);
    const result = await runAgent({
      llm,
      model: 'm',
      tools,
      prompt: 'hi',
      onEvent: () => {
        throw new Error('reporter bug');
      },
    });
    expect(result).toMatchObject({ status: 'done', answer: 'fine' });
  });

  it('resumes from a transcript: runs the calls left without results, then continues', async () => {
    const messages = [
      { role: 'user' as const, content: 'write two files' },
      {
        role: 'assistant' as const,
        content: '',
        tool_calls: [
          { id: 'a', name: 'write_file', arguments: { path: 'one.ts' } },
          { id: 'b', name: 'write_file', arguments: { path: 'two.ts' } },
        ],
      },
      { role: 'tool' as const, content: 'wrote one.ts', tool_call_id: 'a' },
    ];
    const executor = createRecordingToolExecutor({ write_file: slowWriter(0) });
    const llm = createScriptedLlmClient([scriptedStep.text('Both written.')]);
    const result = await runAgent({ llm, model: 'm', tools: executor, messages });
    expect(executor.calls.map((call) => call.id)).toEqual(['b']);
    expect(result).toMatchObject({
      status: 'done',
      answer: 'Both written.',
      turns: 1,
      filesChanged: ['two.ts'],
    });
    expect(llm.requests[0]?.messages).toEqual([
      ...messages,
      { role: 'tool', content: 'wrote two.ts', tool_call_id: 'b' },
    ]);
  });

  it('resumes from a transcript with a new prompt appended', async () => {
    const llm = createScriptedLlmClient([scriptedStep.text('Second answer')]);
    const messages = [
      { role: 'user' as const, content: 'first' },
      { role: 'assistant' as const, content: 'First answer' },
    ];
    const result = await runAgent({ llm, model: 'm', tools, messages, prompt: 'second' });
    expect(llm.requests[0]?.messages).toEqual([...messages, { role: 'user', content: 'second' }]);
    expect(result.messages).toHaveLength(4);
  });

  it('finishes done without a model call when the resumed transcript already ends with an answer', async () => {
    const llm = createScriptedLlmClient([]);
    const result = await runAgent({
      llm,
      model: 'm',
      tools,
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a' },
      ],
    });
    expect(result).toMatchObject({ status: 'done', answer: 'a', turns: 0 });
    expect(llm.requests).toHaveLength(0);
  });

  it('rejects options without a prompt or transcript, and a cost limit without costOf', async () => {
    const llm = createScriptedLlmClient([]);
    await expect(runAgent({ llm, model: 'm', tools })).rejects.toSatisfy((error) =>
      isLoomError(error, 'invalid_input'),
    );
    await expect(
      runAgent({ llm, model: 'm', tools, prompt: 'x', limits: { maxCostUsd: 1 } }),
    ).rejects.toSatisfy((error) => isLoomError(error, 'invalid_input'));
  });
});
