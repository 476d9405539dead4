/**
 * A loopback stand-in for the Anthropic Messages API, fast and deterministic, so the benchmark
 * measures the proxies and not a model: JSON answers at once; streams as the real SSE event
 * sequence with `deltas` text deltas, each written as its own chunk.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const mockApiKey = 'sk-ant-bench-mock-key-0123456789';

export interface MockUpstreamOptions {
  /** Text deltas per streamed answer. */
  deltas: number;
}

export async function startMockUpstream(
  options: MockUpstreamOptions,
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.headers['x-api-key'] !== mockApiKey) {
        response.writeHead(401, { 'content-type': 'application/json' });
        return void response.end(
          '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
        );
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        stream?: boolean;
        model?: string;
      };
      if (body.stream === true)
        return void stream(response, body.model ?? 'claude-sonnet-4-6', options.deltas);
      response.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_bench' });
      response.end(JSON.stringify(message(body.model ?? 'claude-sonnet-4-6')));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function message(model: string): unknown {
  return {
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: 'benchmark answer' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 20, output_tokens: 3 },
  };
}

function frame(data: { type: string } & Record<string, unknown>): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

function stream(response: ServerResponse, model: string, deltas: number): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  const start = {
    type: 'message_start',
    message: {
      ...(message(model) as object),
      content: [],
      stop_reason: null,
      usage: { input_tokens: 20, output_tokens: 1 },
    },
  };
  response.write(
    frame(start) +
      frame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  );
  let sent = 0;
  const next = (): void => {
    if (response.destroyed) return;
    if (sent < deltas) {
      sent += 1;
      response.write(
        frame({
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'text_delta', text: `token${sent} ` },
        }),
      );
      setImmediate(next);
      return;
    }
    response.end(
      frame({ type: 'content_block_stop', index: 0 }) +
        frame({
          type: 'message_delta',
          delta: { stop_reason: 'end_turn', stop_sequence: null },
          usage: { output_tokens: deltas },
        }) +
        frame({ type: 'message_stop' }),
    );
  };
  setImmediate(next);
}
