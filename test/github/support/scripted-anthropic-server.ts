/**
 * A loopback server speaking the Anthropic Messages API (`POST /v1/messages`, streamed as SSE, with
 * `x-api-key`), whose answers a test scripts: each model turn is text and/or tool calls, decided
 * from the request (so a restarted run gets the same answers). It records every request body, so a
 * test can read the system prompt and the transcript the model was shown.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface AnthropicBlock {
  type: string;
  text?: string;
  name?: string;
  input?: unknown;
  content?: unknown;
  tool_use_id?: string;
}

export interface AnthropicRequestBody {
  model: string;
  system?: string | Array<{ type: string; text: string }>;
  messages: Array<{ role: 'user' | 'assistant'; content: string | AnthropicBlock[] }>;
  stream?: boolean;
}

export interface ScriptedTurn {
  text?: string;
  tools?: Array<{ name: string; input: Record<string, unknown> }>;
  /** Wait before answering (a slow model, or a window to kill a worker in). */
  delayMs?: number;
  inputTokens?: number;
  outputTokens?: number;
}

export type ModelScript = (request: AnthropicRequestBody, callIndex: number) => ScriptedTurn;

export interface ScriptedAnthropicServer {
  url: string;
  requests: AnthropicRequestBody[];
  close(): Promise<void>;
}

/** Every text the request shows the model, tool results included, as one string. */
export function requestText(request: AnthropicRequestBody): string {
  return JSON.stringify(request.messages);
}

/** The system prompt as plain text. */
export function systemText(request: AnthropicRequestBody): string {
  if (typeof request.system === 'string') return request.system;
  return (request.system ?? []).map((block) => block.text).join('\n');
}

/** The content of the latest tool result in the request ('' when there is none). */
export function lastToolResult(request: AnthropicRequestBody): string {
  const last = request.messages.at(-1);
  if (last === undefined || typeof last.content === 'string') return '';
  const result = [...last.content].reverse().find((block) => block.type === 'tool_result');
  if (result === undefined) return '';
  return typeof result.content === 'string' ? result.content : JSON.stringify(result.content);
}

function send(response: ServerResponse, event: string, data: unknown): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function streamTurn(response: ServerResponse, model: string, turn: ScriptedTurn): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_${randomUUID()}` });
  send(response, 'message_start', {
    type: 'message_start',
    message: {
      id: `msg_${randomUUID()}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: turn.inputTokens ?? 1000, output_tokens: 1 },
    },
  });
  let index = 0;
  if (turn.text !== undefined) {
    send(response, 'content_block_start', {
      type: 'content_block_start',
      index,
      content_block: { type: 'text', text: '' },
    });
    send(response, 'content_block_delta', {
      type: 'content_block_delta',
      index,
      delta: { type: 'text_delta', text: turn.text },
    });
    send(response, 'content_block_stop', { type: 'content_block_stop', index });
    index += 1;
  }
  for (const tool of turn.tools ?? []) {
    const id = `toolu_${randomUUID().replace(/-/g, '')}`;
    send(response, 'content_block_start', {
      type: 'content_block_start',
      index,
      content_block: { type: 'tool_use', id, name: tool.name, input: {} },
    });
    send(response, 'content_block_delta', {
      type: 'content_block_delta',
      index,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(tool.input) },
    });
    send(response, 'content_block_stop', { type: 'content_block_stop', index });
    index += 1;
  }
  send(response, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: (turn.tools ?? []).length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: turn.outputTokens ?? 200 },
  });
  send(response, 'message_stop', { type: 'message_stop' });
  response.end();
}

export async function startScriptedAnthropicServer(options: {
  apiKey: string;
  script: ModelScript;
}): Promise<ScriptedAnthropicServer> {
  const requests: AnthropicRequestBody[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        if (request.headers['x-api-key'] !== options.apiKey || !request.url?.startsWith('/v1/messages')) {
          response.writeHead(401, { 'content-type': 'application/json' });
          return void response.end(
            JSON.stringify({
              type: 'error',
              error: { type: 'authentication_error', message: 'invalid x-api-key' },
            }),
          );
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AnthropicRequestBody;
        requests.push(body);
        const turn = options.script(body, requests.length - 1);
        if (turn.delayMs !== undefined) await sleep(turn.delayMs);
        if (response.destroyed) return;
        streamTurn(response, body.model, turn);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
