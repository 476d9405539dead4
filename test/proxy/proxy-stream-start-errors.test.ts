/**
 * A provider that accepts a streamed call (HTTP 200) and sends an error before any content, as
 * Anthropic does when overloaded: as the first event, or after `message_start`. Nothing has reached
 * the client then (the proxy holds the opening events back), so Loom retries it like the 529 it
 * stands for; the official SDK, which stops retrying once a 200 arrived, would fail the call.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { MemoryUsageLedger } from '../../src/proxy/index.js';
import { waitFor } from '../queue/support/wait-for.js';
import { anthropicJson, type Responder } from './support/fake-provider.js';
import { useProviderAndProxy } from './support/provider-and-proxy.js';
import { postJson, readLlmEvents } from './support/start-proxy.js';

/** A 200 event stream that holds one error event and ends, as Anthropic answers when overloaded. */
function errorFirstStream(type: string): Responder {
  return (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    response.end(
      `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message: type } })}\n\n`,
    );
  };
}

function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

const overloadedEvent = sseEvent('error', {
  type: 'error',
  error: { type: 'overloaded_error', message: 'Overloaded' },
});

/**
 * A 200 stream that opens as Anthropic's do (`message_start`, `content_block_start`, each written
 * apart), then writes `events` one by one and ends, or is cut.
 */
function openingThen(events: string[], finish: 'end' | 'cut' = 'end'): Responder {
  return async (_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
    const message = {
      id: 'msg_held',
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude-sonnet-4-6',
    };
    response.write(
      sseEvent('message_start', {
        type: 'message_start',
        message: { ...message, usage: { input_tokens: 3, output_tokens: 0 } },
      }),
    );
    await pause();
    response.write(
      sseEvent('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
    );
    for (const event of events) {
      await pause();
      response.write(event);
    }
    await pause();
    if (finish === 'cut') response.destroy();
    else response.end();
  };
}

const ask = {
  model: 'claude-sonnet-4-6',
  max_tokens: 64,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

describe('an error before the content of a 200 stream', () => {
  const setup = useProviderAndProxy();

  const sdk = () =>
    new Anthropic({
      baseURL: `${setup.proxy.url}/proxy/anthropic`,
      apiKey: setup.proxy.mint(),
      maxRetries: 0,
      logLevel: 'off',
    });

  it('is retried for a native stream, and the SDK gets the whole answer', async () => {
    const { provider, proxy } = setup;
    provider.enqueue(errorFirstStream('overloaded_error'), errorFirstStream('api_error'));
    const message = await sdk().messages.stream(ask).finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from Anthropic' }]);
    expect(provider.requests).toHaveLength(3);
    const metered = await waitFor(() => (proxy.usage as MemoryUsageLedger).events[0], {
      what: 'the metered call',
    });
    expect(metered).toMatchObject({ status: 'ok', outputTokens: 5 });
  });

  it('is retried when the connection breaks after the headers, before any event', async () => {
    const { provider } = setup;
    provider.enqueue((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      response.flushHeaders();
      setTimeout(() => response.destroy(), 10);
    });
    const message = await sdk().messages.stream(ask).finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from Anthropic' }]);
    expect(provider.requests).toHaveLength(2);
  });

  it('is retried for a normalized stream, which completes', async () => {
    const { provider, proxy } = setup;
    provider.enqueue(errorFirstStream('overloaded_error'));
    const response = await postJson(
      `${proxy.url}/proxy/anthropic/stream`,
      { model: 'default', messages: [{ role: 'user', content: 'hi' }] },
      { authorization: `Bearer ${proxy.mint()}` },
    );
    expect((await readLlmEvents(response)).at(-1)).toMatchObject({ type: 'completed' });
    expect(provider.requests).toHaveLength(2);
  });

  it('reaches the client as it came once the attempts are spent, or when it is not worth one', async () => {
    const { provider } = setup;
    provider.enqueue(...Array.from({ length: 3 }, () => errorFirstStream('overloaded_error')));
    const overloaded = await sdk()
      .messages.stream(ask)
      .finalMessage()
      .catch((error: unknown) => error);
    expect(overloaded).toBeInstanceOf(Anthropic.APIError);
    expect(String((overloaded as Error).message)).toContain('overloaded_error');
    expect(provider.requests).toHaveLength(3);

    provider.enqueue(errorFirstStream('invalid_request_error'));
    const invalid = await sdk()
      .messages.stream(ask)
      .finalMessage()
      .catch((error: unknown) => error);
    expect(String((invalid as Error).message)).toContain('invalid_request_error');
    expect(provider.requests).toHaveLength(4);
  });

  it('is retried when it comes after the opening events, which the proxy held back', async () => {
    const { provider } = setup;
    provider.enqueue(openingThen([overloadedEvent]));
    const message = await sdk().messages.stream(ask).finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from Anthropic' }]);
    expect(message.id).toBe('msg_fake_1'); // the retried stream's, not the held one's
    expect(provider.requests).toHaveLength(2);
  });

  it('is retried when the stream ends or breaks within its opening events', async () => {
    const { provider } = setup;
    provider.enqueue(openingThen([]), openingThen([], 'cut'));
    const message = await sdk().messages.stream(ask).finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from Anthropic' }]);
    expect(provider.requests).toHaveLength(3);
  });

  it('is not retried once content came first: that is already with the client', async () => {
    const { provider } = setup;
    const delta = sseEvent('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: 'Half an ans' },
    });
    provider.enqueue(openingThen([delta, overloadedEvent]));
    const texts: string[] = [];
    const late = await sdk()
      .messages.stream(ask)
      .on('text', (text) => texts.push(text))
      .finalMessage()
      .catch((error: unknown) => error);
    expect(String((late as Error).message)).toContain('overloaded_error');
    expect(texts).toEqual(['Half an ans']);
    expect(provider.requests).toHaveLength(1);
  });

  it('hands on, once, a provider answer that is not a stream after all', async () => {
    const { provider, proxy } = setup;
    provider.enqueue(anthropicJson()); // a server that ignored `stream: true`: one JSON answer
    const response = await postJson(
      `${proxy.url}/proxy/anthropic/v1/messages`,
      { ...ask, stream: true },
      { 'x-api-key': proxy.mint(), 'anthropic-version': '2023-06-01' },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      content: [{ type: 'text', text: 'Hello from Anthropic' }],
    });
    expect(provider.requests).toHaveLength(1);
  });

  it('is retried for a Responses API stream that fails after its opening events', async () => {
    const { provider, proxy } = setup;
    provider.enqueue((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      const failing = { id: 'resp_held', object: 'response', status: 'in_progress', output: [] };
      response.end(
        sseEvent('response.created', { type: 'response.created', sequence_number: 0, response: failing }) +
          sseEvent('response.in_progress', {
            type: 'response.in_progress',
            sequence_number: 1,
            response: failing,
          }) +
          sseEvent('response.failed', {
            type: 'response.failed',
            sequence_number: 2,
            response: { ...failing, status: 'failed', error: { code: 'server_error', message: 'try again' } },
          }),
      );
    });
    const client = new OpenAI({
      baseURL: `${proxy.url}/proxy/openai/v1`,
      apiKey: proxy.mint(),
      maxRetries: 0,
    });
    const stream = await client.responses.create({ model: 'gpt-4.1', input: 'hi', stream: true });
    let text = '';
    for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    expect(text).toBe('Hello from Responses');
    expect(provider.requests).toHaveLength(2);
  });
});
