/**
 * The proxy's client to providers on its own, against a loopback HTTP server: what it sends, what it
 * hands back, connection reuse, and cancellation before and after the provider's headers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cancellation, createUndiciUpstreamFetch, type UpstreamFetch } from '../../src/proxy/index.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Resolves with true when the server's response closed before it finished (the client hung up). */
  cut: Promise<boolean>;
}

describe('createUndiciUpstreamFetch', () => {
  let server: Server;
  let url: string;
  let connections: number;
  let received: Received[];
  let answer: (request: IncomingMessage, response: ServerResponse) => void;
  let fetch: UpstreamFetch;

  beforeEach(async () => {
    connections = 0;
    received = [];
    answer = (_request, response) => response.end('ok');
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          cut: new Promise((resolve) => response.on('close', () => resolve(!response.writableFinished))),
        });
        answer(request, response);
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    fetch = createUndiciUpstreamFetch();
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, path with query, headers and body, and hands back status, headers and body', async () => {
    answer = (_request, response) => {
      response.writeHead(201, [
        ['Content-Type', 'application/json'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2'],
        ['Retry-After', '3'],
      ]);
      response.end('{"done":true}');
    };
    const body = JSON.stringify({ model: 'm', prompt: 'héllo' });
    const result = await fetch(`${url}/v1/messages?beta=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'server-key' },
      body,
    });
    expect(result.status).toBe(201);
    expect(result.headers.get('Retry-After')).toBe('3');
    expect(result.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(result.headers.get('x-missing')).toBeNull();
    const chunks: Buffer[] = [];
    for await (const chunk of result.body) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe('{"done":true}');
    expect(received[0]).toMatchObject({ method: 'POST', url: '/v1/messages?beta=true', body });
    expect(received[0]?.headers['x-api-key']).toBe('server-key');
    expect(received[0]?.headers['content-length']).toBe(String(Buffer.byteLength(body)));
    // Bodies must pass through as the provider's plain bytes.
    expect(received[0]?.headers['accept-encoding']).toBeUndefined();
  });

  it('reuses one connection for calls made one after another', async () => {
    for (let call = 0; call < 3; call += 1) {
      const result = await fetch(`${url}/v1/messages`, { method: 'POST', headers: {}, body: '{}' });
      for await (const chunk of result.body) void chunk;
      // undici's pool hears that its connection is free one turn after the body ended: a call sent in
      // that same turn opens a second connection. A proxy's next call comes from its client, later.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(received).toHaveLength(3);
    expect(connections).toBe(1);
  });

  it('rejects with the signal’s reason, and hangs up, when cancelled before the headers', async () => {
    answer = () => undefined; // the provider never answers
    const cancellation = new Cancellation();
    const pending = fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: {},
      body: '{}',
      signal: cancellation,
    });
    await expect.poll(() => received.length).toBe(1);
    const reason = new Error('the client went away');
    cancellation.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(await received[0]?.cut).toBe(true);
  });

  it('errors the body with the signal’s reason, and hangs up, when cancelled mid-body', async () => {
    answer = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: ping\ndata: {}\n\n'); // and nothing more
    };
    const cancellation = new Cancellation();
    const result = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: {},
      body: '{}',
      signal: cancellation,
    });
    const reason = new Error('stalled');
    const read = (async () => {
      for await (const chunk of result.body) {
        expect(String(chunk)).toContain('ping');
        cancellation.abort(reason);
      }
    })();
    await expect(read).rejects.toBe(reason);
    expect(await received[0]?.cut).toBe(true);
  });

  it('does not connect at all when the signal is already cancelled', async () => {
    const cancellation = new Cancellation();
    const reason = new Error('cancelled first');
    cancellation.abort(reason);
    await expect(
      fetch(`${url}/v1/messages`, { method: 'POST', headers: {}, body: '{}', signal: cancellation }),
    ).rejects.toBe(reason);
    expect(connections).toBe(0);
  });

  it('rejects with the connection error when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      fetch(`http://127.0.0.1:${port}/v1/messages`, { method: 'POST', headers: {}, body: '{}' }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
