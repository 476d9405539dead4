import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiClient, type LlmRequest } from '../../src/llm/index.js';
import { parseBody, type CapturedRequest } from './support/capture-request.js';
import { drain, terminal } from './support/drain.js';
import {
  openAiChunk,
  openAiDone,
  openAiTextAnswer,
  openAiUsageChunk,
  sseHeaders,
  toSse,
  type SseEvent,
} from './support/sse.js';

const apiKey = 'sk-proj-test-0123456789abcdef';
const request: LlmRequest = { model: 'gpt-4.1', messages: [{ role: 'user', content: 'Say hello' }] };

function answerWith(
  events: SseEvent[],
  base = 'https://api.openai.com',
  path = '/v1/chat/completions',
): CapturedRequest[] {
  const captured: CapturedRequest[] = [];
  nock(base)
    .post(path)
    .reply(function (_uri, body) {
      captured.push({ headers: this.req.headers, body: parseBody(body) });
      return [200, toSse(events), sseHeaders];
    });
  return captured;
}

function toolCallChunk(
  index: number | undefined,
  part: { id?: string; name?: string; arguments?: string },
): SseEvent {
  const call = {
    ...(index === undefined ? {} : { index }),
    ...(part.id ? { id: part.id, type: 'function' } : {}),
    function: { ...(part.name ? { name: part.name } : {}), arguments: part.arguments ?? '' },
  };
  return openAiChunk({ tool_calls: [call] });
}

describe('createOpenAiClient', () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('streams a plain text answer and takes usage from the final usage chunk', async () => {
    const captured = answerWith(openAiTextAnswer(['Hel', 'lo']));
    const client = createOpenAiClient({ apiKey });

    const events = await drain(client.stream(request));

    expect(events.filter((event) => event.type === 'text_delta')).toEqual([
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
    ]);
    expect(terminal(events)).toEqual({
      type: 'completed',
      response: {
        message: { role: 'assistant', content: 'Hello' },
        tool_calls: [],
        usage: { input_tokens: 19, output_tokens: 2 },
        finish_reason: 'stop',
      },
    });
    expect(client.provider).toBe('openai');
    expect(captured[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(captured[0]?.body).toMatchObject({
      model: 'gpt-4.1',
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('assembles two tool calls whose arguments are split across chunks', async () => {
    answerWith([
      openAiChunk({ role: 'assistant', content: null, refusal: null }),
      toolCallChunk(0, { id: 'call_DdmNrTBPXh2V3sQ8n3dmMBDn', name: 'grep', arguments: '' }),
      toolCallChunk(0, { arguments: '{"pat' }),
      toolCallChunk(0, { arguments: 'tern": "TODO"' }),
      toolCallChunk(0, { arguments: ', "ignore_case": true}' }),
      toolCallChunk(1, { id: 'call_8ncgvW1Z5XyAqGv7ZyR0f3pD', name: 'read_file', arguments: '' }),
      toolCallChunk(1, { arguments: '{"path": "README.md"}' }),
      openAiChunk({}, 'tool_calls'),
      openAiUsageChunk(120, 48),
      openAiDone,
    ]);

    const events = await drain(createOpenAiClient({ apiKey }).stream(request));

    expect(events.filter((event) => event.type === 'tool_call_delta')[0]).toEqual({
      type: 'tool_call_delta',
      index: 0,
      id: 'call_DdmNrTBPXh2V3sQ8n3dmMBDn',
      name: 'grep',
      arguments_delta: '',
    });
    expect(terminal(events)).toEqual({
      type: 'completed',
      response: {
        message: { role: 'assistant', content: '' },
        tool_calls: [
          {
            id: 'call_DdmNrTBPXh2V3sQ8n3dmMBDn',
            name: 'grep',
            arguments: { pattern: 'TODO', ignore_case: true },
          },
          { id: 'call_8ncgvW1Z5XyAqGv7ZyR0f3pD', name: 'read_file', arguments: { path: 'README.md' } },
        ],
        usage: { input_tokens: 120, output_tokens: 48 },
        finish_reason: 'tool_use',
      },
    });
  });

  it('converts the conversation: system first, tool_calls as JSON strings, tool results by tool_call_id', async () => {
    const captured = answerWith(openAiTextAnswer(['ok']));

    await drain(
      createOpenAiClient({ apiKey }).stream({
        model: 'gpt-4.1-mini',
        system: 'You are Loom.',
        max_tokens: 500,
        tools: [
          { name: 'bash', description: 'Run a command', input_schema: { type: 'object', properties: {} } },
        ],
        messages: [
          { role: 'user', content: 'List files' },
          {
            role: 'assistant',
            content: '',
            tool_calls: [{ id: 'call_1', name: 'bash', arguments: { command: 'ls' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'permission denied', is_error: true },
          { role: 'assistant', content: 'It failed.' },
        ],
      }),
    );

    expect(captured[0]?.body).toEqual({
      model: 'gpt-4.1-mini',
      stream: true,
      stream_options: { include_usage: true },
      max_completion_tokens: 500,
      tools: [
        {
          type: 'function',
          function: {
            name: 'bash',
            description: 'Run a command',
            parameters: { type: 'object', properties: {} },
          },
        },
      ],
      messages: [
        { role: 'system', content: 'You are Loom.' },
        { role: 'user', content: 'List files' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'bash', arguments: '{"command":"ls"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'Error: permission denied' },
        { role: 'assistant', content: 'It failed.' },
      ],
    });
  });

  it('talks to an Ollama-style base URL without an API key, sending max_tokens', async () => {
    const captured = answerWith(
      [
        // Ollama sends a whole tool call in one chunk, older releases without `index`, and says 'stop'.
        openAiChunk({
          role: 'assistant',
          content: '',
          tool_calls: [
            {
              id: 'call_y3k1',
              type: 'function',
              function: { name: 'glob', arguments: '{"pattern":"*.md"}' },
            },
          ],
        }),
        openAiChunk({ role: 'assistant', content: '' }, 'stop'),
        openAiUsageChunk(80, 20),
        openAiDone,
      ],
      'http://ollama.test:11434',
      '/v1/chat/completions',
    );
    const client = createOpenAiClient({ baseUrl: 'http://ollama.test:11434/v1' });

    const result = terminal(await drain(client.stream({ ...request, model: 'qwen3:8b', max_tokens: 256 })));

    expect(result).toMatchObject({
      type: 'completed',
      response: {
        tool_calls: [{ id: 'call_y3k1', name: 'glob', arguments: { pattern: '*.md' } }],
        finish_reason: 'tool_use',
      },
    });
    expect(captured[0]?.headers.authorization).toBe('Bearer loom-no-api-key');
    expect(captured[0]?.body).toMatchObject({ model: 'qwen3:8b', max_tokens: 256 });
    expect(captured[0]?.body).not.toHaveProperty('max_completion_tokens');
  });

  it('honours a custom base URL (OPENAI_BASE_URL) for a vLLM server', async () => {
    const captured = answerWith(
      openAiTextAnswer(['from vllm']),
      'https://vllm.example.test',
      '/serve/v1/chat/completions',
    );
    const client = createOpenAiClient({ apiKey, baseUrl: 'https://vllm.example.test/serve/v1' });

    const result = terminal(
      await drain(client.stream({ ...request, model: 'meta-llama/Llama-3.1-8B-Instruct' })),
    );

    expect(result.type === 'completed' && result.response.message.content).toBe('from vllm');
    expect(captured[0]?.body.model).toBe('meta-llama/Llama-3.1-8B-Instruct');
  });

  it('maps finish_reason length to max_tokens', async () => {
    answerWith([
      openAiChunk({ content: 'Once upon' }),
      openAiChunk({}, 'length'),
      openAiUsageChunk(5, 2),
      openAiDone,
    ]);

    const result = terminal(await drain(createOpenAiClient({ apiKey }).stream(request)));

    expect(result.type === 'completed' && result.response.finish_reason).toBe('max_tokens');
  });
});
