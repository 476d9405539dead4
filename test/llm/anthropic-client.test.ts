import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicClient, type LlmRequest } from '../../src/llm/index.js';
import { parseBody, type CapturedRequest } from './support/capture-request.js';
import { drain, terminal } from './support/drain.js';
import {
  anthropicBlockStart,
  anthropicBlockStop,
  anthropicJsonDelta,
  anthropicMessageDelta,
  anthropicMessageStart,
  anthropicMessageStop,
  anthropicTextAnswer,
  anthropicTextDelta,
  sseHeaders,
  toSse,
  type SseEvent,
} from './support/sse.js';

const apiKey = 'sk-ant-test-0123456789abcdef';
const request: LlmRequest = {
  model: 'claude-sonnet-4-6',
  messages: [{ role: 'user', content: 'Say hello' }],
};

/** Answers one POST /v1/messages with the given SSE events and records what was sent. */
function answerWith(
  events: SseEvent[],
  base = 'https://api.anthropic.com',
  path = '/v1/messages',
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

describe('createAnthropicClient', () => {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('streams a plain text answer as text deltas and one completed event', async () => {
    const captured = answerWith(anthropicTextAnswer(['Hel', 'lo', '!'], 7));
    const client = createAnthropicClient({ apiKey });

    const events = await drain(client.stream(request));

    expect(events.filter((event) => event.type === 'text_delta')).toEqual([
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
      { type: 'text_delta', text: '!' },
    ]);
    expect(terminal(events)).toEqual({
      type: 'completed',
      response: {
        message: { role: 'assistant', content: 'Hello!' },
        tool_calls: [],
        usage: { input_tokens: 25, output_tokens: 7 },
        finish_reason: 'stop',
      },
    });
    expect(client.provider).toBe('anthropic');
    expect(captured[0]?.headers['x-api-key']).toBe(apiKey);
    expect(captured[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(captured[0]?.headers['anthropic-version']).toBeTruthy();
    expect(captured[0]?.body).toMatchObject({ model: 'claude-sonnet-4-6', stream: true, max_tokens: 8192 });
  });

  it('assembles a tool call whose arguments arrive in several input_json_delta chunks', async () => {
    answerWith([
      anthropicMessageStart(),
      anthropicBlockStart(0, { type: 'text', text: '' }),
      anthropicTextDelta(0, 'Let me read it.'),
      anthropicBlockStop(0),
      anthropicBlockStart(1, {
        type: 'tool_use',
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'read_file',
        input: {},
      }),
      anthropicJsonDelta(1, ''),
      anthropicJsonDelta(1, '{"path": "src/ind'),
      anthropicJsonDelta(1, 'ex.ts", "lim'),
      anthropicJsonDelta(1, 'it": 40}'),
      anthropicBlockStop(1),
      anthropicMessageDelta('tool_use', 41),
      anthropicMessageStop,
    ]);

    const events = await drain(createAnthropicClient({ apiKey }).stream(request));

    expect(events.filter((event) => event.type === 'tool_call_delta')).toEqual([
      {
        type: 'tool_call_delta',
        index: 0,
        id: 'toolu_01A09q90qw90lq917835lq9',
        name: 'read_file',
        arguments_delta: '',
      },
      { type: 'tool_call_delta', index: 0, arguments_delta: '' },
      { type: 'tool_call_delta', index: 0, arguments_delta: '{"path": "src/ind' },
      { type: 'tool_call_delta', index: 0, arguments_delta: 'ex.ts", "lim' },
      { type: 'tool_call_delta', index: 0, arguments_delta: 'it": 40}' },
    ]);
    expect(terminal(events)).toEqual({
      type: 'completed',
      response: {
        message: { role: 'assistant', content: 'Let me read it.' },
        tool_calls: [
          {
            id: 'toolu_01A09q90qw90lq917835lq9',
            name: 'read_file',
            arguments: { path: 'src/index.ts', limit: 40 },
          },
        ],
        usage: { input_tokens: 25, output_tokens: 41 },
        finish_reason: 'tool_use',
      },
    });
  });

  it('numbers several tool calls 0, 1 in order, whatever their content block index', async () => {
    answerWith([
      anthropicMessageStart(),
      anthropicBlockStart(0, { type: 'tool_use', id: 'toolu_a', name: 'glob', input: {} }),
      anthropicJsonDelta(0, '{"pattern":'),
      anthropicBlockStart(1, { type: 'tool_use', id: 'toolu_b', name: 'list_files', input: {} }),
      anthropicJsonDelta(0, ' "**/*.ts"}'),
      anthropicBlockStop(0),
      anthropicBlockStop(1),
      anthropicMessageDelta('tool_use', 30),
      anthropicMessageStop,
    ]);

    const events = await drain(createAnthropicClient({ apiKey }).stream(request));

    const starts = events.filter((event) => event.type === 'tool_call_delta' && event.id !== undefined);
    expect(starts).toMatchObject([
      { index: 0, id: 'toolu_a' },
      { index: 1, id: 'toolu_b' },
    ]);
    const result = terminal(events);
    expect(result.type === 'completed' && result.response.tool_calls).toEqual([
      { id: 'toolu_a', name: 'glob', arguments: { pattern: '**/*.ts' } },
      // No input_json_delta at all: the input from content_block_start stands.
      { id: 'toolu_b', name: 'list_files', arguments: {} },
    ]);
  });

  it('sends system, tools, tool_use blocks and groups consecutive tool results into one user turn', async () => {
    const captured = answerWith(anthropicTextAnswer(['ok']));
    const client = createAnthropicClient({ apiKey, defaultMaxTokens: 1000 });

    await drain(
      client.stream({
        model: 'claude-haiku-4-5',
        system: 'You are Loom.',
        temperature: 0.2,
        tools: [
          {
            name: 'read_file',
            description: 'Read a file',
            input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
          },
        ],
        messages: [
          { role: 'user', content: 'Read a and b' },
          {
            role: 'assistant',
            content: 'Reading both.',
            tool_calls: [
              { id: 'toolu_1', name: 'read_file', arguments: { path: 'a' } },
              { id: 'toolu_2', name: 'read_file', arguments: { path: 'b' } },
            ],
          },
          { role: 'tool', tool_call_id: 'toolu_1', content: '1 hello' },
          { role: 'tool', tool_call_id: 'toolu_2', content: 'no such file: b', is_error: true },
          { role: 'user', content: 'Also check c, please.' },
          {
            role: 'assistant',
            content: '',
            tool_calls: [{ id: 'toolu_3', name: 'read_file', arguments: { path: 'c' } }],
          },
          { role: 'tool', tool_call_id: 'toolu_3', content: '1 see' },
        ],
      }),
    );

    expect(captured[0]?.body).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 1000,
      stream: true,
      system: 'You are Loom.',
      temperature: 0.2,
      tools: [
        {
          name: 'read_file',
          description: 'Read a file',
          input_schema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
        },
      ],
      messages: [
        { role: 'user', content: 'Read a and b' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Reading both.' },
            { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a' } },
            { type: 'tool_use', id: 'toolu_2', name: 'read_file', input: { path: 'b' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '1 hello' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'no such file: b', is_error: true },
            { type: 'text', text: 'Also check c, please.' },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'toolu_3', name: 'read_file', input: { path: 'c' } }],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_3', content: '1 see' }] },
      ],
    });
  });

  it('honours a custom base URL (ANTHROPIC_BASE_URL), path prefix included', async () => {
    const captured = answerWith(
      anthropicTextAnswer(['via gateway']),
      'https://llm-gateway.example.test',
      '/anthropic/v1/messages',
    );
    const client = createAnthropicClient({ apiKey, baseUrl: 'https://llm-gateway.example.test/anthropic' });

    const result = terminal(await drain(client.stream(request)));

    expect(result.type === 'completed' && result.response.message.content).toBe('via gateway');
    expect(captured).toHaveLength(1);
  });

  it('reports max_tokens when the model ran out of output tokens', async () => {
    answerWith([
      anthropicMessageStart(),
      anthropicBlockStart(0, { type: 'text', text: '' }),
      anthropicTextDelta(0, 'Once upon a'),
      anthropicBlockStop(0),
      anthropicMessageDelta('max_tokens', 3),
      anthropicMessageStop,
    ]);

    const result = terminal(await drain(createAnthropicClient({ apiKey }).stream(request)));

    expect(result.type === 'completed' && result.response.finish_reason).toBe('max_tokens');
  });

  it('turns tool arguments that are not a JSON object into a retryable error, not a half call', async () => {
    answerWith([
      anthropicMessageStart(),
      anthropicBlockStart(0, { type: 'tool_use', id: 'toolu_x', name: 'bash', input: {} }),
      anthropicJsonDelta(0, '{"command": "ls'),
      anthropicBlockStop(0),
      anthropicMessageDelta('max_tokens', 8192),
      anthropicMessageStop,
    ]);

    const result = terminal(await drain(createAnthropicClient({ apiKey }).stream(request)));

    expect(result).toMatchObject({ type: 'error', error: { code: 'upstream_rejected', retryable: true } });
  });
});
