import { describe, expect, it } from 'vitest';
import type { LlmStreamEvent } from './llm-types.js';
import { createScriptedLlmClient, scriptedStep } from './scripted-llm-client.js';

async function collect(stream: AsyncIterable<LlmStreamEvent>): Promise<LlmStreamEvent[]> {
  const events: LlmStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

const request = { model: 'test', messages: [{ role: 'user' as const, content: 'hi' }] };

describe('createScriptedLlmClient', () => {
  it('streams text as deltas and completes with the whole reply and the given usage', async () => {
    const client = createScriptedLlmClient(
      [scriptedStep.text('hello world', { input_tokens: 3, output_tokens: 2 })],
      {
        chunkSize: 5,
      },
    );
    const events = await collect(client.stream(request));
    expect(events.slice(0, 3)).toEqual([
      { type: 'text_delta', text: 'hello' },
      { type: 'text_delta', text: ' worl' },
      { type: 'text_delta', text: 'd' },
    ]);
    expect(events[3]).toEqual({
      type: 'completed',
      response: {
        message: { role: 'assistant', content: 'hello world' },
        tool_calls: [],
        usage: { input_tokens: 3, output_tokens: 2 },
        finish_reason: 'stop',
      },
    });
  });

  it('streams tool calls as argument deltas whose concatenation is the JSON of the arguments', async () => {
    const client = createScriptedLlmClient(
      [scriptedStep.toolCalls([{ name: 'read_file', arguments: { path: 'a.ts' } }])],
      {
        chunkSize: 4,
      },
    );
    const events = await collect(client.stream(request));
    const deltas = events.filter((event) => event.type === 'tool_call_delta');
    expect(deltas[0]).toMatchObject({ index: 0, id: 'call_0_0', name: 'read_file' });
    expect(deltas.map((delta) => delta.arguments_delta).join('')).toBe('{"path":"a.ts"}');
    expect(events.at(-1)).toMatchObject({
      type: 'completed',
      response: {
        finish_reason: 'tool_use',
        tool_calls: [{ id: 'call_0_0', name: 'read_file', arguments: { path: 'a.ts' } }],
      },
    });
  });

  it('records deep copies of the requests it received', async () => {
    const client = createScriptedLlmClient([scriptedStep.text('a'), scriptedStep.text('b')]);
    const mutable = { model: 'test', messages: [{ role: 'user' as const, content: 'first' }] };
    await collect(client.stream(mutable));
    mutable.messages[0]!.content = 'changed';
    expect(client.requests[0]?.messages[0]?.content).toBe('first');
  });

  it('plays faults: 429 with retry-after, a 400, an error after partial output', async () => {
    const client = createScriptedLlmClient([
      scriptedStep.rateLimited(2_000),
      scriptedStep.httpError(400),
      scriptedStep.errorAfter({
        text: 'par',
        toolCall: { id: 't1', name: 'bash', argumentsPrefix: '{"comm' },
      }),
    ]);
    expect(await collect(client.stream(request))).toEqual([
      {
        type: 'error',
        error: {
          code: 'rate_limited',
          message: expect.any(String),
          retryable: true,
          status: 429,
          retry_after_ms: 2_000,
        },
      },
    ]);
    expect((await collect(client.stream(request)))[0]).toMatchObject({
      error: { status: 400, retryable: false },
    });
    const third = await collect(client.stream(request));
    expect(third.map((event) => event.type)).toEqual(['text_delta', 'tool_call_delta', 'error']);
  });

  it('ends a cut stream without any terminal event', async () => {
    const client = createScriptedLlmClient([scriptedStep.cut({ text: 'half' })]);
    expect(await collect(client.stream(request))).toEqual([{ type: 'text_delta', text: 'half' }]);
  });

  it('stalls until aborted, then ends with a cancelled error', async () => {
    const client = createScriptedLlmClient([scriptedStep.stall({ text: 'x' })]);
    const controller = new AbortController();
    const pending = collect(client.stream(request, { signal: controller.signal }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    expect(await pending).toEqual([
      { type: 'text_delta', text: 'x' },
      { type: 'error', error: { code: 'cancelled', message: expect.any(String), retryable: false } },
    ]);
  });

  it('lets a function decide each reply from the request', async () => {
    const client = createScriptedLlmClient((received, index) =>
      scriptedStep.text(`${index}:${received.messages.length}`),
    );
    const events = await collect(client.stream(request));
    expect(events.at(-1)).toMatchObject({ response: { message: { content: '0:1' } } });
  });

  it('answers a non-retryable error once the script is exhausted', async () => {
    const client = createScriptedLlmClient([]);
    expect(await collect(client.stream(request))).toMatchObject([
      { type: 'error', error: { code: 'internal', retryable: false } },
    ]);
  });

  it('waits chunkDelayMs between events when asked', async () => {
    const client = createScriptedLlmClient([scriptedStep.text('ab')], { chunkSize: 1, chunkDelayMs: 15 });
    const started = Date.now();
    await collect(client.stream(request));
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });
});
