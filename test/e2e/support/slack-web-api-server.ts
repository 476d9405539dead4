/**
 * A loopback stand-in for Slack's Web API (`SLACK_API_URL`), for a Loom child process that nock cannot
 * reach: `auth.test` (as the installed workspace's bot), `chat.postMessage` (increasing ts values),
 * `chat.update` and `reactions.add`. It records every call with its decoded parameters; a method it
 * does not know answers `unknown_method` as Slack does, and is recorded too.
 *
 * Optionally it serves HTTPS (a certificate the test made) and Socket Mode: `apps.connections.open`
 * (with the app token) hands out `wss://{publicName}:PORT/link/`, served by the same server, which
 * says `hello` to each connection and records the envelope ids it gets back as acknowledgements.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  /** The bearer token the caller sent. */
  token: string | undefined;
}

export interface SlackWebApiServer {
  /** Base URL for `SLACK_API_URL` (ends with `/api/`). */
  apiUrl: string;
  calls: SlackCall[];
  callsOf(method: string): SlackCall[];
  /** Socket Mode connections, in order, and the envelope ids they acknowledged. */
  sockets: WebSocket[];
  acks: string[];
  close(): Promise<void>;
}

export interface SlackServerOptions {
  /** Serve HTTPS with this key and certificate instead of HTTP. */
  tls?: { key: Buffer; cert: Buffer };
  /** Answer `apps.connections.open` for this app token, and serve the WebSocket it hands out. */
  appToken?: string;
  /** Host name used in the URLs handed out (default 127.0.0.1). */
  publicName?: string;
}

export interface SlackIdentity {
  teamId: string;
  botUserId: string;
  botId: string;
  botToken: string;
}

function decodeParams(contentType: string | undefined, text: string): Record<string, unknown> {
  if (text === '') return {};
  if ((contentType ?? '').includes('application/json')) return JSON.parse(text) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(text));
}

export async function startSlackWebApiServer(
  identity: SlackIdentity,
  options: SlackServerOptions = {},
): Promise<SlackWebApiServer> {
  const calls: SlackCall[] = [];
  const sockets: WebSocket[] = [];
  const acks: string[] = [];
  let posted = 0;
  let port = 0;
  const origin = () =>
    `${options.tls === undefined ? 'http' : 'https'}://${options.publicName ?? '127.0.0.1'}:${port}`;
  const answer = (method: string, params: Record<string, unknown>, token: string | undefined) => {
    if (method === 'apps.connections.open' && options.appToken !== undefined && token === options.appToken)
      return { ok: true, url: `${origin().replace(/^http/, 'ws')}/link/?ticket=e2e` };
    if (token !== identity.botToken) return { ok: false, error: 'invalid_auth' };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'Acme',
          user: 'loom',
          team_id: identity.teamId,
          user_id: identity.botUserId,
          bot_id: identity.botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage':
        posted += 1;
        return {
          ok: true,
          channel: params.channel,
          ts: `1800000000.${String(posted).padStart(6, '0')}`,
          message: { text: params.text },
        };
      case 'chat.update':
        return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
      case 'reactions.add':
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };
  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = (request.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const params = decodeParams(request.headers['content-type'], Buffer.concat(chunks).toString('utf8'));
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : (params.token as string);
      calls.push({ method, params, token });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer(method, params, token)));
    });
  };
  const server =
    options.tls === undefined ? createHttpServer(handler) : createHttpsServer(options.tls, handler);
  const webSockets = new WebSocketServer({ server, path: '/link/' });
  webSockets.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data: Buffer) => {
      const envelopeId = (JSON.parse(data.toString()) as { envelope_id?: string }).envelope_id;
      if (envelopeId !== undefined) acks.push(envelopeId);
    });
    socket.send(
      JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0LOOMAPP1' } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    apiUrl: `${origin()}/api/`,
    calls,
    callsOf: (method) => calls.filter((call) => call.method === method),
    sockets,
    acks,
    close: () =>
      new Promise((resolve) => {
        for (const socket of webSockets.clients) socket.terminate();
        webSockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
