/**
 * RELIABILITY 38 (loop side): a stream cut mid-way, a stalled stream and an error event after a 200
 * are detected, the partial assistant turn is dropped, the call is retried, and the transcript never
 * holds a half-written tool call.
 */
import { describe, expect, it } from 'vitest';
import { runAgent } from '../../src/agent/index.js';
import type { AgentProgressEvent } from '../../src/agent/index.js';
import type { LlmClient, LlmStreamEvent } from '../../src/llm/llm-types.js';
import type { ScriptedPartialOutput } from '../../src/llm/scripted-llm-client.js';
import { createScriptedLlmClient, scriptedStep } from '../../src/llm/scripted-llm-client.js';
import {
  createRecordingToolExecutor,
  recordingSleep,
  slowWriter,
} from './support/recording-tool-executor.js';
import { transcriptProblems } from './support/transcript-problems.js';

const partial: ScriptedPartialOutput = {
  text: 'I will write the fi',
  toolCall: { id: 'half', name: 'write_file', argumentsPrefix: '{"path":"src/ha' },
};

const faults = {
  'a stream cut mid-way': scriptedStep.cut(partial),
  'a stalled stream': scriptedStep.stall(partial),
  'an error event after a 200': scriptedStep.errorAfter(partial, 500),
};

describe('runAgent stream faults', () => {
  it.each(Object.entries(faults))(
    'recovers from %s without a half-written tool call',
    async (_name, fault) => {
      const executor = createRecordingToolExecutor({ write_file: slowWriter(0) });
      const llm = createScriptedLlmClient([
        fault,
        scriptedStep.toolCalls([{ id: 'whole', name: 'write_file', arguments: { path: 'src/whole.ts' } }]),
        scriptedStep.text('Written.'),
      ]);
      const clock = recordingSleep();
      const events: AgentProgressEvent[] = [];
      const started = performance.now();
      const result = await runAgent({
        llm,
        model: 'm',
        tools: executor,
        prompt: 'write a file',
        idleTimeoutMs: 300,
        sleep: clock.sleep,
        onEvent: (event) => events.push(event),
      });
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(result).toMatchObject({
        status: 'done',
        answer: 'Written.',
        turns: 2,
        filesChanged: ['src/whole.ts'],
      });
      expect(transcriptProblems(result.messages)).toEqual([]);
      const serialized = JSON.stringify(result.messages);
      expect(serialized).not.toContain('half');
      expect(serialized).not.toContain('I will write the fi');
      // The retried request is exactly the original one: nothing of the partial turn was sent back.
      expect(llm.requests[1]).toEqual(llm.requests[0]);
      expect(executor.calls.map((call) => call.id)).toEqual(['whole']);
      expect(events.filter((event) => event.type === 'retry_scheduled')).toHaveLength(1);
    },
  );

  it('lets a slow stream finish as long as events keep coming within the idle timeout', async () => {
    const llm = createScriptedLlmClient([scriptedStep.text('slow but steady, '.repeat(3))], {
      chunkSize: 3,
      chunkDelayMs: 25,
    });
    const events: AgentProgressEvent[] = [];
    const started = performance.now();
    const result = await runAgent({
      llm,
      model: 'm',
      tools: createRecordingToolExecutor({}),
      prompt: 'hi',
      idleTimeoutMs: 150,
      onEvent: (event) => events.push(event),
    });
    expect(result).toMatchObject({ status: 'done', answer: 'slow but steady, '.repeat(3) });
    // The whole stream took longer than the idle timeout: the timeout is between events, not per call.
    expect(performance.now() - started).toBeGreaterThan(150);
    expect(events.some((event) => event.type === 'retry_scheduled')).toBe(false);
  });

  it('names the idle timeout as the retry reason for a stall', async () => {
    const llm = createScriptedLlmClient([scriptedStep.stall(), scriptedStep.text('ok')]);
    const events: AgentProgressEvent[] = [];
    await runAgent({
      llm,
      model: 'm',
      tools: createRecordingToolExecutor({}),
      prompt: 'hi',
      idleTimeoutMs: 30,
      sleep: recordingSleep().sleep,
      onEvent: (event) => events.push(event),
    });
    expect(events.find((event) => event.type === 'retry_scheduled')).toMatchObject({
      reason: 'no model stream event for 30 ms',
      error: { code: 'timeout', retryable: true },
    });
  });

  it('fails after repeated stalls once retries are spent', async () => {
    const llm = createScriptedLlmClient(() => scriptedStep.stall({ text: 'thinking' }));
    const result = await runAgent({
      llm,
      model: 'm',
      tools: createRecordingToolExecutor({}),
      prompt: 'hi',
      idleTimeoutMs: 20,
      maxRetries: 2,
      sleep: recordingSleep().sleep,
    });
    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'timeout' },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(llm.requests).toHaveLength(3);
  });

  it('treats a stream that throws (a broken adapter) as a permanent failure', async () => {
    const throwing: LlmClient = {
      provider: 'broken',
      stream(): AsyncIterable<LlmStreamEvent> {
        return {
          [Symbol.asyncIterator]: () => ({
            next: () => Promise.reject(new Error('socket exploded')),
          }),
        };
      },
    };
    const result = await runAgent({
      llm: throwing,
      model: 'm',
      tools: createRecordingToolExecutor({}),
      prompt: 'hi',
    });
    expect(result).toMatchObject({ status: 'failed', error: { code: 'internal', retryable: false } });
    expect(result.reason).toContain('socket exploded');
  });
});
