import { describe, expect, it } from 'vitest';
import { createSteeringQueue, runAgent } from '../../src/agent/index.js';
import type { AgentProgressEvent } from '../../src/agent/index.js';
import { createScriptedLlmClient, scriptedStep } from '../../src/llm/scripted-llm-client.js';
import {
  createRecordingToolExecutor,
  recordingSleep,
  slowReader,
} from './support/recording-tool-executor.js';

describe('runAgent steering and the post-tools hook', () => {
  it('injects steering queued during tools before the next model call, after the tool results', async () => {
    const steering = createSteeringQueue();
    const executor = createRecordingToolExecutor({
      read_file: {
        readOnly: true,
        async run() {
          steering.push('use the v2 API instead');
          return { output: 'contents', isError: false };
        },
      },
    });
    const llm = createScriptedLlmClient([
      scriptedStep.toolCalls([{ id: 'r', name: 'read_file', arguments: {} }]),
      scriptedStep.text('Switched to v2.'),
    ]);
    const events: AgentProgressEvent[] = [];
    const result = await runAgent({
      llm,
      model: 'm',
      tools: executor,
      prompt: 'go',
      steering,
      onEvent: (e) => events.push(e),
    });
    expect(llm.requests[1]?.messages.slice(-2)).toEqual([
      { role: 'tool', content: 'contents', tool_call_id: 'r' },
      { role: 'user', content: 'use the v2 API instead' },
    ]);
    expect(events).toContainEqual({ type: 'steering_injected', text: 'use the v2 API instead' });
    expect(result.status).toBe('done');
  });

  it('continues after an answer when steering arrived while the model was answering', async () => {
    const steering = createSteeringQueue();
    const llm = createScriptedLlmClient([scriptedStep.text('First answer'), scriptedStep.text('Also done.')]);
    const result = await runAgent({
      llm,
      model: 'm',
      tools: createRecordingToolExecutor({}),
      prompt: 'go',
      steering,
      onEvent: (event) => {
        if (event.type === 'turn_started' && event.turn === 1) steering.push('and add a test');
      },
    });
    expect(result).toMatchObject({ status: 'done', answer: 'Also done.', turns: 2 });
    expect(llm.requests[1]?.messages.slice(-2)).toEqual([
      { role: 'assistant', content: 'First answer' },
      { role: 'user', content: 'and add a test' },
    ]);
  });

  it('injects steering queued during a retry backoff into the retried call', async () => {
    const steering = createSteeringQueue();
    const llm = createScriptedLlmClient([scriptedStep.overloaded(), scriptedStep.text('ok')]);
    const clock = recordingSleep();
    await runAgent({
      llm,
      model: 'm',
      tools: createRecordingToolExecutor({}),
      prompt: 'go',
      steering,
      sleep: async (ms, signal) => {
        steering.push('hurry');
        await clock.sleep(ms, signal);
      },
    });
    expect(llm.requests[1]?.messages).toEqual([
      { role: 'user', content: 'go' },
      { role: 'user', content: 'hurry' },
    ]);
  });

  it('runs the post-tools hook after each round of tools and appends its notes', async () => {
    const seen: number[] = [];
    const llm = createScriptedLlmClient([
      scriptedStep.toolCalls([{ id: 'r', name: 'read_file', arguments: { path: 'a' } }]),
      scriptedStep.text('fixed'),
    ]);
    const result = await runAgent({
      llm,
      model: 'm',
      tools: createRecordingToolExecutor({ read_file: slowReader(0) }),
      prompt: 'go',
      postToolsHook: async ({ messages, turns }) => {
        seen.push(turns);
        expect(messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'r' });
        return { messages: ['typecheck: 1 error in a.ts'] };
      },
    });
    expect(seen).toEqual([1]);
    expect(llm.requests[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'typecheck: 1 error in a.ts' });
    expect(result.status).toBe('done');
  });

  it('fails the run with the reason when the hook throws', async () => {
    const llm = createScriptedLlmClient([scriptedStep.toolCalls([{ name: 'read_file', arguments: {} }])]);
    const result = await runAgent({
      llm,
      model: 'm',
      tools: createRecordingToolExecutor({ read_file: slowReader(0) }),
      prompt: 'go',
      postToolsHook: async () => {
        throw new Error('hook crashed');
      },
    });
    expect(result).toMatchObject({ status: 'failed', reason: 'post-tools hook failed: hook crashed' });
  });
});
