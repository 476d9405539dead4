import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiClient, type LlmRequest, type LlmStreamEvent } from '../../src/llm/index.js';
import { drain, terminal } from './support/drain.js';
import { openAiChunk, openAiTextAnswer, sseHeaders, toSse } from './support/sse.js';
import { startLoopbackServer, type LoopbackServer } from './support/start-loopback-server.js';

const apiKey = 'sk-proj-secret-key-that-must-never-leak';
const request: LlmRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };
const openai = 'https://api.openai.com';

function openAiError(message: string, type: string, code: string | null): Record<string, unknown> {
  return { error: { message, type, param: null, code } };
}

function errorOf(events: LlmStreamEvent[]) {
  expect(JSON.stringify(events)).not.toContain(apiKey);
  const result = terminal(events);
  if (result.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

describe('createOpenAiClient errors', () => {
  let server: LoopbackServer | undefined;
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(async () => {
    nock.cleanAll();
    await server?.close();
    server = undefined;
  });
  afterAll(() => nock.enableNetConnect());

  it('surfaces 429 as retryable rate_limited with retry-after-ms, without retrying itself', async () => {
    const scope = nock(openai)
      .post('/v1/chat/completions')
      .times(2)
      .reply(429, openAiError('Rate limit reached for gpt-4o-mini', 'requests', 'rate_limit_exceeded'), {
        'retry-after-ms': '1500',
        'retry-after': '2',
      });

    const error = errorOf(await drain(createOpenAiClient({ apiKey }).stream(request)));

    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, status: 429, retry_after_ms: 1500 });
    expect(scope.pendingMocks()).toHaveLength(1);
  });

  it('does not retry a 429 for an exhausted quota', async () => {
    nock(openai)
      .post('/v1/chat/completions')
      .reply(
        429,
        openAiError('You exceeded your current quota.', 'insufficient_quota', 'insufficient_quota'),
      );

    const error = errorOf(await drain(createOpenAiClient({ apiKey }).stream(request)));

    expect(error).toMatchObject({ code: 'budget_exceeded', retryable: false, status: 429 });
  });

  it('treats 500 and 503 as retryable and 400 as permanent', async () => {
    nock(openai)
      .post('/v1/chat/completions')
      .reply(500, openAiError('The server had an error', 'server_error', null));
    nock(openai).post('/v1/chat/completions').reply(503, 'upstream connect error');
    nock(openai)
      .post('/v1/chat/completions')
      .reply(
        400,
        openAiError("Invalid 'messages[1].tool_call_id'", 'invalid_request_error', 'invalid_value'),
      );
    const client = createOpenAiClient({ apiKey });

    expect(errorOf(await drain(client.stream(request)))).toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
      status: 500,
    });
    expect(errorOf(await drain(client.stream(request)))).toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
      status: 503,
    });
    expect(errorOf(await drain(client.stream(request)))).toMatchObject({
      code: 'upstream_rejected',
      retryable: false,
      status: 400,
    });
  });

  it('maps 401 to unauthorized and redacts a key the server echoes', async () => {
    nock(openai)
      .post('/v1/chat/completions')
      .reply(
        401,
        openAiError(`Incorrect API key provided: ${apiKey}.`, 'invalid_request_error', 'invalid_api_key'),
      );

    const error = errorOf(await drain(createOpenAiClient({ apiKey }).stream(request)));

    expect(error).toMatchObject({ code: 'unauthorized', retryable: false, status: 401 });
    expect(error.message).toContain('Incorrect API key provided: [redacted]');
  });

  it('turns an error chunk inside a 200 stream into a retryable error', async () => {
    nock(openai)
      .post('/v1/chat/completions')
      .reply(
        200,
        toSse([
          openAiChunk({ content: 'Part' }),
          { data: openAiError('model overloaded', 'server_error', null) },
        ]),
        sseHeaders,
      );

    const events = await drain(createOpenAiClient({ apiKey }).stream(request));

    expect(events[0]).toEqual({ type: 'text_delta', text: 'Part' });
    expect(errorOf(events)).toMatchObject({ code: 'upstream_unavailable', retryable: true });
  });

  it('reports a stream whose connection dies halfway as a retryable error', async () => {
    const body = toSse(openAiTextAnswer(['Hello', ' world', '!']));
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, sseHeaders);
      response.write(body.slice(0, body.indexOf(' world') + 3));
      setTimeout(() => response.socket?.destroy(), 20);
    });

    const events = await drain(createOpenAiClient({ apiKey, baseUrl: `${server.url}/v1` }).stream(request));

    expect(errorOf(events)).toMatchObject({ code: 'upstream_unavailable', retryable: true });
    expect(errorOf(events).message).toContain('interrupted');
  });

  it('reports a stream that ends without a finish_reason as a retryable error', async () => {
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, sseHeaders);
      response.end(toSse([openAiChunk({ content: 'Hel' })]));
    });

    const error = errorOf(
      await drain(createOpenAiClient({ apiKey, baseUrl: `${server.url}/v1` }).stream(request)),
    );

    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: true });
    expect(error.message).toContain('finish_reason');
  });

  it('ends with cancelled when the caller aborts mid-stream', async () => {
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, sseHeaders);
      response.write(toSse([openAiChunk({ content: 'Thinking' })])); // ...and then nothing more
    });
    const controller = new AbortController();
    const events: LlmStreamEvent[] = [];

    const client = createOpenAiClient({ apiKey, baseUrl: `${server.url}/v1` });
    for await (const event of client.stream(request, { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'text_delta') controller.abort();
    }

    expect(events.map((event) => event.type)).toEqual(['text_delta', 'error']);
    expect(errorOf(events).code).toBe('cancelled');
  });

  it('ends with cancelled when aborted while waiting for the response headers', async () => {
    server = await startLoopbackServer(() => undefined); // accepts, never answers
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const client = createOpenAiClient({ apiKey, baseUrl: `${server.url}/v1` });
    const events = await drain(client.stream(request, { signal: controller.signal }));

    expect(errorOf(events)).toEqual({
      code: 'cancelled',
      message: 'the model call was cancelled',
      retryable: false,
    });
  });
});
