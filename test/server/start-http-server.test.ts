import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoomError } from '../../src/errors/index.js';
import { startHttpServer, type RunningHttpServer } from '../../src/server/index.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One GET through `agent`, exposing the socket it used so a test can watch it close. */
function get(url: string, agent: Agent): { socket: Promise<Socket>; answer: Promise<Answer> } {
  let onSocket!: (socket: Socket) => void;
  const socket = new Promise<Socket>((resolve) => (onSocket = resolve));
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('socket', onSocket);
    req.on('error', reject);
    req.end();
  });
  return { socket, answer };
}

const closed = (socket: Socket): Promise<void> =>
  socket.destroyed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));

const agents: Agent[] = [];
const servers: RunningHttpServer[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) agent.destroy();
  for (const server of servers.splice(0)) await server.close(100);
});

function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true });
  agents.push(agent);
  return agent;
}

async function serveSlowApp(): Promise<{ server: RunningHttpServer; slowReached: Promise<void> }> {
  let reached!: () => void;
  const slowReached = new Promise<void>((resolve) => (reached = resolve));
  const app = express();
  app.get('/fast', (_req, res) => {
    res.send('fast');
  });
  app.get('/slow', async (_req, res) => {
    reached();
    await sleep(400);
    res.send('slow done');
  });
  app.get('/hang', () => {
    reached(); // never answers
  });
  const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  servers.push(server);
  return { server, slowReached };
}

describe('startHttpServer', () => {
  it('listens on a free port when asked for port 0', async () => {
    const { server } = await serveSlowApp();
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect((await get(`${server.url}/fast`, keepAliveAgent()).answer).body).toBe('fast');
  });

  it('closes gracefully: in-flight requests finish, keep-alive sockets close, new connections are refused', async () => {
    const { server, slowReached } = await serveSlowApp();
    const idle = get(`${server.url}/fast`, keepAliveAgent());
    expect((await idle.answer).headers.connection).toBe('keep-alive');
    const idleSocket = await idle.socket;
    expect(idleSocket.destroyed).toBe(false); // kept alive in the agent's pool

    const slow = get(`${server.url}/slow`, keepAliveAgent());
    await slowReached;
    const started = Date.now();
    const closing = server.close(5_000);

    await closed(idleSocket);
    await expect(fetch(`${server.url}/fast`)).rejects.toThrow();
    expect(await slow.answer).toMatchObject({ status: 200, body: 'slow done' });
    await closed(await slow.socket);
    await closing;
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('destroys connections still busy when the timeout runs out', async () => {
    const { server, slowReached } = await serveSlowApp();
    const hanging = get(`${server.url}/hang`, keepAliveAgent());
    hanging.answer.catch(() => {});
    await slowReached;
    const started = Date.now();
    await server.close(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(hanging.answer).rejects.toThrow(/socket hang up|ECONNRESET/);
  });

  it('fails with a config error when the port is taken', async () => {
    const { server } = await serveSlowApp();
    const error: unknown = await startHttpServer(express(), { port: server.port, host: '127.0.0.1' }).catch(
      (caught: unknown) => caught,
    );
    expect(isLoomError(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toContain('PORT');
  });
});
