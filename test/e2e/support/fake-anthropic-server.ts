/**
 * A loopback server that speaks the Anthropic Messages API: `POST /v1/messages`, streamed as
 * Anthropic's Server-Sent Events (message_start, content blocks with text and input_json deltas,
 * ping, message_delta, message_stop) when `stream: true`, one JSON message otherwise, and Anthropic's
 * error bodies (429 with retry-after, 529 overloaded, 401). What it answers is decided per request
 * by the test, and every raw request body is kept so tests can look for leaked secrets.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  anthropicBlockStart,
  anthropicBlockStop,
  anthropicJsonDelta,
  anthropicMessageDelta,
  anthropicMessageStart,
  anthropicMessageStop,
  anthropicPing,
  anthropicTextDelta,
  sseHeaders,
  toSse,
  type SseEvent,
} from '../../llm/support/sse.js';
import type { MessagesRequest } from './messages-transcript.js';

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id?: string; name: string; input: Record<string, unknown> };

export type FakeReply =
  /** `delayMs`: pause between streamed events, to watch an answer arrive piece by piece. */
  | { kind: 'message'; content: ContentBlock[]; delayMs?: number }
  | { kind: 'error'; status: number; type: string; message: string; headers?: Record<string, string> }
  /** Streams `textBefore`, then sends nothing more until the client goes away. */
  | { kind: 'stall'; textBefore?: string };

export interface ReceivedRequest {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  /** Exactly the bytes the client sent. */
  rawBody: string;
  body: MessagesRequest;
}

export interface FakeAnthropicServer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export type DecideReply = (body: MessagesRequest, index: number) => FakeReply;

export async function startFakeAnthropicServer(decide: DecideReply): Promise<FakeAnthropicServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v1/messages') {
        return sendError(response, {
          kind: 'error',
          status: 404,
          type: 'not_found_error',
          message: 'Not found',
        });
      }
      const body = JSON.parse(rawBody) as MessagesRequest;
      const index = requests.length;
      requests.push({ at: Date.now(), path: request.url, headers: request.headers, rawBody, body });
      let reply: FakeReply;
      try {
        reply = decide(body, index);
      } catch (error) {
        reply = { kind: 'error', status: 500, type: 'api_error', message: `fake server: ${String(error)}` };
      }
      if (reply.kind === 'error') return sendError(response, reply);
      if (reply.kind === 'stall') return stall(response, reply.textBefore ?? '');
      if (body.stream === true) return void streamMessage(response, reply, body.model);
      sendMessage(response, reply.content, body.model);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function withIds(content: ContentBlock[]): ContentBlock[] {
  return content.map((block) =>
    block.type === 'tool_use'
      ? { ...block, id: block.id ?? `toolu_${randomUUID().replace(/-/g, '')}` }
      : block,
  );
}

function stopReason(content: ContentBlock[]): string {
  return content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn';
}

function sendMessage(response: ServerResponse, content: ContentBlock[], model: string): void {
  response.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_${randomUUID()}` });
  response.end(
    JSON.stringify({
      id: `msg_${randomUUID().replace(/-/g, '')}`,
      type: 'message',
      role: 'assistant',
      model,
      content: withIds(content),
      stop_reason: stopReason(content),
      stop_sequence: null,
      usage: { input_tokens: 120, output_tokens: 30 },
    }),
  );
}

/** Splits text into a few pieces, as the API streams it. */
function pieces(text: string, size: number): string[] {
  const result: string[] = [];
  for (let start = 0; start < text.length; start += size) result.push(text.slice(start, start + size));
  return result;
}

async function streamMessage(
  response: ServerResponse,
  { content, delayMs }: Extract<FakeReply, { kind: 'message' }>,
  model: string,
): Promise<void> {
  response.writeHead(200, { ...sseHeaders, 'request-id': `req_${randomUUID()}` });
  const events: SseEvent[] = [anthropicMessageStart(120, model)];
  withIds(content).forEach((block, index) => {
    if (block.type === 'text') {
      events.push(anthropicBlockStart(index, { type: 'text', text: '' }));
      if (index === 0) events.push(anthropicPing);
      events.push(...pieces(block.text, 12).map((piece) => anthropicTextDelta(index, piece)));
    } else {
      events.push(
        anthropicBlockStart(index, { type: 'tool_use', id: block.id, name: block.name, input: {} }),
      );
      events.push(anthropicJsonDelta(index, ''));
      events.push(
        ...pieces(JSON.stringify(block.input), 20).map((piece) => anthropicJsonDelta(index, piece)),
      );
    }
    events.push(anthropicBlockStop(index));
  });
  events.push(anthropicMessageDelta(stopReason(content), 30), anthropicMessageStop);
  for (const event of events) {
    if (response.destroyed) return;
    response.write(toSse([event]));
    // Let the client see a real stream: events arrive in separate chunks.
    await new Promise((resolve) =>
      delayMs === undefined ? setImmediate(resolve) : setTimeout(resolve, delayMs),
    );
  }
  response.end();
}

function sendError(response: ServerResponse, reply: Extract<FakeReply, { kind: 'error' }>): void {
  response.writeHead(reply.status, {
    'content-type': 'application/json',
    'request-id': `req_${randomUUID()}`,
    ...(reply.type === 'overloaded_error' ? { 'x-should-retry': 'true' } : {}),
    ...reply.headers,
  });
  response.end(JSON.stringify({ type: 'error', error: { type: reply.type, message: reply.message } }));
}

function stall(response: ServerResponse, textBefore: string): void {
  response.writeHead(200, sseHeaders);
  const events: SseEvent[] = [anthropicMessageStart(), anthropicBlockStart(0, { type: 'text', text: '' })];
  if (textBefore !== '') events.push(anthropicTextDelta(0, textBefore));
  response.write(toSse(events));
  // Nothing more: the client cancels (Ctrl-C) or times out.
}
