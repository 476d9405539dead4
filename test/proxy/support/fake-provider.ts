/**
 * A loopback HTTP server shaped like the real Anthropic Messages API (`POST /v1/messages`) and the
 * OpenAI Chat Completions API (`POST /v1/chat/completions`): the same paths, auth headers, JSON
 * bodies and SSE wire formats. Tests script its answers and read what it received.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicModelPage, openAiModelList } from './provider-model-lists.js';
import { openAiResponseBody, openAiResponseEvents, type ResponsesAnswer } from './openai-responses-shapes.js';
import { writeSse } from './write-sse.js';

export const anthropicKey = 'sk-ant-api03-SERVER-SECRET-KEY-0123456789abcdefABCDEF';
export const openAiKey = 'sk-proj-SERVER-SECRET-OPENAI-KEY-0123456789abcdefABCDEF';

export interface RecordedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: Record<string, unknown>;
  /** True once the connection closed before the answer was complete (the proxy hung up on us). */
  closedEarly: boolean;
  /** Resolves when the request's connection closed, for whatever reason. */
  closed: Promise<void>;
}

export type Responder = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface FakeProvider {
  url: string;
  requests: RecordedRequest[];
  /** TCP connections accepted so far (a client that reuses its connections opens one). */
  readonly connections: number;
  /** Answers for the next requests, in order; when empty, a normal answer for the request's shape. */
  enqueue(...responders: Responder[]): void;
  close(): Promise<void>;
}

/** `keyless`: a self-hosted server (Ollama, vLLM) that asks for no key and accepts any call. */
export async function startFakeProvider(options: { keyless?: boolean } = {}): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  const queue: Responder[] = [];
  const server = createServer((request, response) => {
    void handle(request, response);
  });
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let markClosed: () => void = () => undefined;
    const recorded: RecordedRequest = {
      path: request.url ?? '',
      headers: request.headers,
      rawBody,
      body: rawBody === '' ? {} : (JSON.parse(rawBody) as Record<string, unknown>),
      closedEarly: false,
      closed: new Promise((resolve) => (markClosed = resolve)),
    };
    response.on('close', () => {
      recorded.closedEarly = !response.writableFinished;
      markClosed();
    });
    requests.push(recorded);
    if (options.keyless !== true && !authorized(recorded))
      return void sendJson(response, 401, authError(recorded.path));
    const responder = queue.shift() ?? normalAnswer();
    await responder(recorded, response);
  }
  let connections = 0;
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get connections() {
      return connections;
    },
    enqueue: (...responders) => queue.push(...responders),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Like the real APIs: Anthropic wants `x-api-key`, OpenAI `Authorization: Bearer`. */
function authorized(request: RecordedRequest): boolean {
  if (request.path.startsWith('/v1/messages')) return request.headers['x-api-key'] === anthropicKey;
  if (request.path.startsWith('/v1/models') && request.headers['x-api-key'] !== undefined)
    return request.headers['x-api-key'] === anthropicKey;
  return request.headers.authorization === `Bearer ${openAiKey}`;
}

function authError(path: string): unknown {
  return path.startsWith('/v1/messages')
    ? { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }
    : {
        error: {
          message: 'Incorrect API key provided',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      };
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake_1', ...headers });
  response.end(JSON.stringify(body));
}

export interface AnswerOptions {
  texts?: string[];
  inputTokens?: number;
  outputTokens?: number;
  /** Anthropic's prompt-cache counts, reported apart from `input_tokens` as the real API does. */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** Of `cacheWriteTokens`, those written to the one-hour cache (the rest: the five-minute one). */
  cacheWrite1hTokens?: number;
  /** Pause between streamed events, in ms. */
  delayMs?: number;
  /** Stop after this many events: `stall` keeps the connection open, `cut` destroys it. */
  stopAfter?: { events: number; how: 'stall' | 'cut' };
}

/** The normal answer for whatever the request asks: Anthropic or OpenAI, streamed or not. */
export function normalAnswer(options: AnswerOptions = {}): Responder {
  return (request, response) => {
    if (request.path.startsWith('/v1/models')) {
      // Both APIs serve it at /v1/models here (OpenAI's base URL ends in /v1): the key tells them apart.
      const anthropic = request.headers['x-api-key'] !== undefined;
      return sendJson(response, 200, anthropic ? anthropicModelPage : openAiModelList);
    }
    if (request.path.startsWith('/v1/messages/count_tokens')) {
      // The real answer's shape: `{"input_tokens": N}`, nothing else.
      return sendJson(response, 200, { input_tokens: options.inputTokens ?? 21 });
    }
    if (request.path.startsWith('/v1/responses')) {
      return request.body.stream === true
        ? openAiResponsesStream(options)(request, response)
        : openAiResponsesJson(options)(request, response);
    }
    const anthropic = request.path.startsWith('/v1/messages');
    const streaming = request.body.stream === true;
    if (anthropic)
      return streaming
        ? anthropicStream(options)(request, response)
        : anthropicJson(options)(request, response);
    return streaming ? openAiStream(options)(request, response) : openAiJson(options)(request, response);
  };
}

export function anthropicJson(options: AnswerOptions = {}): Responder {
  return (request, response) =>
    sendJson(response, 200, {
      id: 'msg_fake_1',
      type: 'message',
      role: 'assistant',
      model: request.body.model,
      content: [{ type: 'text', text: (options.texts ?? ['Hello from Anthropic']).join('') }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: options.inputTokens ?? 12,
        output_tokens: options.outputTokens ?? 5,
        ...anthropicCacheUsage(options),
      },
    });
}

/** As the API reports them: the writes in all, and `cache_creation` splitting them by cache lifetime. */
function anthropicCacheUsage(options: AnswerOptions): Record<string, unknown> {
  const written = options.cacheWriteTokens ?? 0;
  const forAnHour = options.cacheWrite1hTokens ?? 0;
  return {
    cache_creation_input_tokens: written,
    cache_read_input_tokens: options.cacheReadTokens ?? 0,
    cache_creation: { ephemeral_5m_input_tokens: written - forAnHour, ephemeral_1h_input_tokens: forAnHour },
  };
}

export function anthropicStream(options: AnswerOptions = {}): Responder {
  return (request, response) => {
    const texts = options.texts ?? ['Hello', ' from', ' Anthropic'];
    const events: [string, unknown][] = [
      [
        'message_start',
        {
          type: 'message_start',
          message: {
            id: 'msg_fake_1',
            type: 'message',
            role: 'assistant',
            model: request.body.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: {
              input_tokens: options.inputTokens ?? 12,
              output_tokens: 1,
              ...anthropicCacheUsage(options),
            },
          },
        },
      ],
      [
        'content_block_start',
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ],
      ['ping', { type: 'ping' }],
      ...texts.map((text): [string, unknown] => [
        'content_block_delta',
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
      ]),
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      [
        'message_delta',
        {
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: options.outputTokens ?? 5 },
        },
      ],
      ['message_stop', { type: 'message_stop' }],
    ];
    return writeSse(
      response,
      events.map(([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`),
      options,
    );
  };
}

export function openAiJson(options: AnswerOptions = {}): Responder {
  return (request, response) =>
    sendJson(response, 200, {
      id: 'chatcmpl-fake1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: request.body.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: (options.texts ?? ['Hello from OpenAI']).join(''),
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: options.inputTokens ?? 9,
        completion_tokens: options.outputTokens ?? 4,
        total_tokens: 13,
      },
    });
}

export function openAiStream(options: AnswerOptions = {}): Responder {
  return (request, response) => {
    const base = {
      id: 'chatcmpl-fake1',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: request.body.model,
    };
    const texts = options.texts ?? ['Hello', ' from', ' OpenAI'];
    const chunks: unknown[] = [
      { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      ...texts.map((content) => ({
        ...base,
        choices: [{ index: 0, delta: { content }, finish_reason: null }],
      })),
      { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    ];
    const includeUsage =
      (request.body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    if (includeUsage) {
      const usage = {
        prompt_tokens: options.inputTokens ?? 9,
        completion_tokens: options.outputTokens ?? 4,
        total_tokens: 13,
      };
      chunks.push({ ...base, choices: [], usage });
    }
    const frames = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).concat('data: [DONE]\n\n');
    return writeSse(response, frames, options);
  };
}

function responsesAnswer(request: RecordedRequest, options: AnswerOptions): ResponsesAnswer {
  return {
    model: request.body.model,
    texts: options.texts ?? ['Hello', ' from', ' Responses'],
    inputTokens: options.inputTokens ?? 11,
    outputTokens: options.outputTokens ?? 6,
  };
}

/** A Responses API answer (`POST /v1/responses`). */
export function openAiResponsesJson(options: AnswerOptions = {}): Responder {
  return (request, response) =>
    sendJson(response, 200, openAiResponseBody(responsesAnswer(request, options)));
}

/** A streamed Responses API answer: `response.*` events, usage in `response.completed`. */
export function openAiResponsesStream(options: AnswerOptions = {}): Responder {
  return (request, response) => {
    const frames = openAiResponseEvents(responsesAnswer(request, options)).map(
      ([name, data]) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`,
    );
    return writeSse(response, frames, options);
  };
}

/** An HTTP error the way the provider sends it. */
export function failWith(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return (_request, response) => sendJson(response, status, body, headers);
}

/** Accepts the request and never answers (no status line, no headers). */
export function neverAnswer(): Responder {
  return () => undefined;
}
