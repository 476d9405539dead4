import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicClient, type LlmRequest, type LlmStreamEvent } from '../../src/llm/index.js';
import { drain, terminal } from './support/drain.js';
import {
  anthropicBlockStart,
  anthropicErrorEvent,
  anthropicMessageStart,
  anthropicTextAnswer,
  anthropicTextDelta,
  sseHeaders,
  toSse,
} from './support/sse.js';
import { startLoopbackServer, type LoopbackServer } from './support/start-loopback-server.js';

const apiKey = 'sk-ant-secret-key-that-must-never-leak';
const request: LlmRequest = { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Hi' }] };
const anthropic = 'https://api.anthropic.com';

function anthropicError(type: string, message: string): Record<string, unknown> {
  return { type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' };
}

/** The terminal error of a stream, after checking the key appears nowhere in what the stream said. */
function errorOf(events: LlmStreamEvent[]) {
  expect(JSON.stringify(events)).not.toContain(apiKey);
  const result = terminal(events);
  if (result.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.error;
}

describe('createAnthropicClient errors', () => {
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

  it('surfaces 429 at once as retryable rate_limited with retry-after, without retrying itself', async () => {
    const scope = nock(anthropic)
      .post('/v1/messages')
      .times(2)
      .reply(
        429,
        anthropicError('rate_limit_error', 'Number of request tokens has exceeded your rate limit.'),
        {
          'retry-after': '20',
        },
      );

    const error = errorOf(await drain(createAnthropicClient({ apiKey }).stream(request)));

    expect(error).toEqual({
      code: 'rate_limited',
      retryable: true,
      status: 429,
      retry_after_ms: 20_000,
      message:
        'Anthropic answered HTTP 429 (rate_limit_error): Number of request tokens has exceeded your rate limit.',
    });
    expect(scope.pendingMocks()).toHaveLength(1); // one of the two answers was never asked for
  });

  it('reads retry-after given as an HTTP date', async () => {
    const inThirtySeconds = new Date(Date.now() + 30_000).toUTCString();
    nock(anthropic)
      .post('/v1/messages')
      .reply(429, anthropicError('rate_limit_error', 'slow down'), { 'retry-after': inThirtySeconds });

    const error = errorOf(await drain(createAnthropicClient({ apiKey }).stream(request)));

    expect(error.retry_after_ms).toBeGreaterThan(25_000);
    expect(error.retry_after_ms).toBeLessThanOrEqual(30_000);
  });

  it('treats 529 overloaded as retryable upstream_unavailable', async () => {
    nock(anthropic).post('/v1/messages').reply(529, anthropicError('overloaded_error', 'Overloaded'));

    const error = errorOf(await drain(createAnthropicClient({ apiKey }).stream(request)));

    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: true, status: 529 });
    expect(error.message).toContain('overloaded_error');
  });

  it('treats 500 as retryable and 400 as a permanent upstream_rejected', async () => {
    nock(anthropic).post('/v1/messages').reply(500, anthropicError('api_error', 'Internal server error'));
    nock(anthropic)
      .post('/v1/messages')
      .reply(400, anthropicError('invalid_request_error', 'messages: roles must alternate'));
    const client = createAnthropicClient({ apiKey });

    expect(errorOf(await drain(client.stream(request)))).toMatchObject({
      code: 'upstream_unavailable',
      retryable: true,
      status: 500,
    });
    expect(errorOf(await drain(client.stream(request)))).toMatchObject({
      code: 'upstream_rejected',
      retryable: false,
      status: 400,
      message: 'Anthropic answered HTTP 400 (invalid_request_error): messages: roles must alternate',
    });
  });

  it('maps 401 to unauthorized and never repeats the key, even when the server echoes it', async () => {
    nock(anthropic)
      .post('/v1/messages')
      .reply(401, anthropicError('authentication_error', `invalid x-api-key: ${apiKey}`));

    const error = errorOf(await drain(createAnthropicClient({ apiKey }).stream(request)));

    expect(error).toMatchObject({ code: 'unauthorized', retryable: false, status: 401 });
    expect(error.message).toContain('invalid x-api-key: [redacted]');
  });

  it('maps 403 to forbidden, not retryable', async () => {
    nock(anthropic).post('/v1/messages').reply(403, anthropicError('permission_error', 'not allowed'));

    const error = errorOf(await drain(createAnthropicClient({ apiKey }).stream(request)));

    expect(error).toMatchObject({ code: 'forbidden', retryable: false, status: 403 });
  });

  it('turns an overloaded_error event inside a 200 stream into a retryable error after the deltas', async () => {
    nock(anthropic)
      .post('/v1/messages')
      .reply(
        200,
        toSse([
          anthropicMessageStart(),
          anthropicBlockStart(0, { type: 'text', text: '' }),
          anthropicTextDelta(0, 'Partial'),
          anthropicErrorEvent('overloaded_error', 'Overloaded'),
        ]),
        sseHeaders,
      );

    const events = await drain(createAnthropicClient({ apiKey }).stream(request));

    expect(events[0]).toEqual({ type: 'text_delta', text: 'Partial' });
    expect(errorOf(events)).toMatchObject({ code: 'upstream_unavailable', retryable: true });
    expect(errorOf(events).status).toBeUndefined();
  });

  it('reports a stream whose connection dies halfway as a retryable error', async () => {
    const body = toSse(anthropicTextAnswer(['Hello', ' world']));
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, sseHeaders);
      response.write(body.slice(0, body.indexOf('world')));
      setTimeout(() => response.socket?.destroy(), 20);
    });

    const events = await drain(createAnthropicClient({ apiKey, baseUrl: server.url }).stream(request));

    expect(events.some((event) => event.type === 'completed')).toBe(false);
    expect(errorOf(events)).toMatchObject({ code: 'upstream_unavailable', retryable: true });
    expect(errorOf(events).message).toContain('interrupted');
  });

  it('reports a stream that ends cleanly but without message_stop as a retryable error', async () => {
    const body = toSse(anthropicTextAnswer(['Hello']).slice(0, -1));
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, sseHeaders);
      response.end(body);
    });

    const error = errorOf(
      await drain(createAnthropicClient({ apiKey, baseUrl: server.url }).stream(request)),
    );

    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: true });
    expect(error.message).toContain('message_stop');
  });

  it('ends with cancelled when the caller aborts mid-stream', async () => {
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, sseHeaders);
      response.write(toSse([anthropicMessageStart(), anthropicBlockStart(0, { type: 'text', text: '' })]));
      response.write(toSse([anthropicTextDelta(0, 'Thinking')])); // ...and then nothing more
    });
    const controller = new AbortController();
    const events: LlmStreamEvent[] = [];

    for await (const event of createAnthropicClient({ apiKey, baseUrl: server.url }).stream(request, {
      signal: controller.signal,
    })) {
      events.push(event);
      if (event.type === 'text_delta') controller.abort();
    }

    expect(events.map((event) => event.type)).toEqual(['text_delta', 'error']);
    expect(errorOf(events)).toEqual({
      code: 'cancelled',
      message: 'the model call was cancelled',
      retryable: false,
    });
  });

  it('ends with cancelled without calling the provider when the signal is already aborted', async () => {
    const scope = nock(anthropic)
      .post('/v1/messages')
      .reply(200, toSse(anthropicTextAnswer(['no'])), sseHeaders);

    const events = await drain(
      createAnthropicClient({ apiKey }).stream(request, { signal: AbortSignal.abort() }),
    );

    expect(errorOf(events).code).toBe('cancelled');
    expect(scope.isDone()).toBe(false);
  });

  it('gives up on a provider that stalls with a retryable timeout', async () => {
    server = await startLoopbackServer((_request, response) => {
      response.writeHead(200, sseHeaders);
      response.write(toSse([anthropicMessageStart()])); // then silence
    });

    const client = createAnthropicClient({ apiKey, baseUrl: server.url, idleTimeoutMs: 150 });
    const error = errorOf(await drain(client.stream(request)));

    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('reports a refused connection as retryable upstream_unavailable', async () => {
    const closed = await startLoopbackServer(() => undefined);
    await closed.close();

    const error = errorOf(
      await drain(createAnthropicClient({ apiKey, baseUrl: closed.url }).stream(request)),
    );

    expect(error).toMatchObject({ code: 'upstream_unavailable', retryable: true });
    expect(error.message).toContain('could not reach Anthropic');
  });
});
