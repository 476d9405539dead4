/**
 * A loopback stand-in for Slack's Web API (`SLACK_API_URL`), for a Loom child process that nock cannot
 * reach: `auth.test` (as the installed workspace's bot), `chat.postMessage` (increasing ts values),
 * `chat.update` and `reactions.add`. It records every call with its decoded parameters; a method it
 * does not know answers `unknown_method` as Slack does, and is recorded too.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  close(): Promise<void>;
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

export async function startSlackWebApiServer(identity: SlackIdentity): Promise<SlackWebApiServer> {
  const calls: SlackCall[] = [];
  let posted = 0;
  const answer = (method: string, params: Record<string, unknown>, token: string | undefined) => {
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
  const server = createServer((request, response) => {
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
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    callsOf: (method) => calls.filter((call) => call.method === method),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
