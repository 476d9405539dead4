import { describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/index.js';
import type { AgentProgressEvent } from '../../src/agent/index.js';
import { createScriptedLlmClient, scriptedStep } from '../../src/llm/scripted-llm-client.js';
import type { CallRecord } from './support/recording-tool-executor.js';
import { createRecordingToolExecutor, slowReader, slowWriter } from './support/recording-tool-executor.js';

const overlaps = (a: CallRecord, b: CallRecord): boolean =>
  a.startedAt < (b.endedAt ?? 0) && b.startedAt < (a.endedAt ?? 0);

describe('runAgent tool scheduling', () => {
  it('runs read-only calls in parallel, mutating calls one at a time in call order, results in call order', async () => {
    const executor = createRecordingToolExecutor({ read_file: slowReader(60), write_file: slowWriter(30) });
    const llm = createScriptedLlmClient([
      scriptedStep.toolCalls([
        { id: 'r1', name: 'read_file', arguments: { path: 'a' } },
        { id: 'r2', name: 'read_file', arguments: { path: 'b' } },
        { id: 'r3', name: 'read_file', arguments: { path: 'c' } },
        { id: 'w1', name: 'write_file', arguments: { path: 'x' } },
        { id: 'w2', name: 'write_file', arguments: { path: 'y' } },
        { id: 'r4', name: 'read_file', arguments: { path: 'd' } },
      ]),
      scriptedStep.text('done'),
    ]);
    const events: AgentProgressEvent[] = [];
    const result = await runAgent({
      llm,
      model: 'm',
      tools: executor,
      prompt: 'go',
      onEvent: (event) => events.push(event),
    });

    const byId = Object.fromEntries(executor.calls.map((call) => [call.id, call]));
    const [r1, r2, r3, w1, w2, r4] = ['r1', 'r2', 'r3', 'w1', 'w2', 'r4'].map((id) => byId[id] as CallRecord);
    // The three reads overlap each other: they ran together.
    expect(overlaps(r1!, r2!) && overlaps(r2!, r3!) && overlaps(r1!, r3!)).toBe(true);
    // Writes start only after everything before them ended, and never overlap.
    expect(w1!.startedAt).toBeGreaterThanOrEqual(Math.max(r1!.endedAt!, r2!.endedAt!, r3!.endedAt!));
    expect(w2!.startedAt).toBeGreaterThanOrEqual(w1!.endedAt!);
    expect(r4!.startedAt).toBeGreaterThanOrEqual(w2!.endedAt!);

    const toolMessages = result.messages.filter((message) => message.role === 'tool');
    expect(toolMessages.map((message) => message.tool_call_id)).toEqual(['r1', 'r2', 'r3', 'w1', 'w2', 'r4']);
    expect(result.filesChanged).toEqual(['x', 'y']);
    const started = events.flatMap((event) =>
      event.type === 'tool_call_started' ? [[event.call.id, event.readOnly]] : [],
    );
    expect(started).toEqual([
      ['r1', true],
      ['r2', true],
      ['r3', true],
      ['w1', false],
      ['w2', false],
      ['r4', true],
    ]);
  });

  it('puts results in call order even when later reads finish first', async () => {
    const executor = createRecordingToolExecutor({
      read_file: {
        readOnly: true,
        async run(args) {
          await new Promise((resolve) => setTimeout(resolve, Number(args.delay)));
          return { output: `slept ${String(args.delay)}`, isError: false };
        },
      },
    });
    const llm = createScriptedLlmClient([
      scriptedStep.toolCalls([
        { id: 'slow', name: 'read_file', arguments: { delay: 50 } },
        { id: 'fast', name: 'read_file', arguments: { delay: 1 } },
      ]),
      scriptedStep.text('ok'),
    ]);
    const events: AgentProgressEvent[] = [];
    await runAgent({
      llm,
      model: 'm',
      tools: executor,
      prompt: 'go',
      onEvent: (event) => events.push(event),
    });
    const finished = events.flatMap((event) => (event.type === 'tool_call_finished' ? [event.call.id] : []));
    expect(finished).toEqual(['fast', 'slow']);
    expect(llm.requests[1]?.messages.slice(-2).map((message) => message.content)).toEqual([
      'slept 50',
      'slept 1',
    ]);
  });

  it('forwards tool progress to reporters', async () => {
    const executor = createRecordingToolExecutor({
      bash: {
        readOnly: false,
        async run(_args, { onProgress }) {
          onProgress?.('line 1');
          onProgress?.('line 2');
          return { output: 'ok', isError: false };
        },
      },
    });
    const llm = createScriptedLlmClient([
      scriptedStep.toolCalls([{ id: 'b', name: 'bash', arguments: {} }]),
      scriptedStep.text('ok'),
    ]);
    const events: AgentProgressEvent[] = [];
    await runAgent({
      llm,
      model: 'm',
      tools: executor,
      prompt: 'go',
      onEvent: (event) => events.push(event),
    });
    expect(events.filter((event) => event.type === 'tool_progress')).toEqual([
      { type: 'tool_progress', callId: 'b', text: 'line 1' },
      { type: 'tool_progress', callId: 'b', text: 'line 2' },
    ]);
  });
});
