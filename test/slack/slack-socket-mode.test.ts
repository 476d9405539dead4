/**
 * Socket Mode (SLACK_APP_TOKEN): `apps.connections.open` at SLACK_API_URL (nock) hands out a
 * WebSocket URL served here on loopback, which plays Slack's side: `hello`, then an `events_api`
 * envelope. The envelope is acknowledged only once its job is in the queue, and not at all when the
 * enqueue fails, so Slack redelivers it.
 */
import { once } from 'node:events';
import { createServer } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSlackApp, type SlackApp } from '../../bots/slack/index.js';
import { closeJobQueue, createJobQueue, jobIdForDelivery, waitForQueueReady } from '../../queue/index.js';
import { createLogger, createSilentLogger, type Logger } from '../../src/logging/index.js';
import { Writable } from 'node:stream';
import { openStore, type Store } from '../../src/store/index.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import {
  answerAuthTest,
  redisUrl,
  slackApiOrigin,
  slackApiUrl,
  uniqueName,
  waitFor,
} from './support/slack-harness.js';
import { appMention } from './support/slack-events.js';

const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  nock.cleanAll();
});

interface FakeSlack {
  connected: Promise<WebSocket>;
  acks: Array<{ envelope_id: string; at: number }>;
}

async function fakeSocketModeServer(): Promise<FakeSlack> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  cleanups.push(async () => {
    for (const client of server.clients) client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as { port: number };
  nock(slackApiOrigin)
    .persist()
    .post('/api/apps.connections.open')
    .reply(200, { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=test` });
  const acks: FakeSlack['acks'] = [];
  const connected = new Promise<WebSocket>((resolve) => {
    server.on('connection', (socket) => {
      socket.on('message', (data: Buffer) => {
        const parsed = JSON.parse(data.toString()) as { envelope_id?: string };
        if (parsed.envelope_id !== undefined) acks.push({ envelope_id: parsed.envelope_id, at: Date.now() });
      });
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'test' },
          connection_info: { app_id: 'A0LOOMAPP1' },
        }),
      );
      resolve(socket);
    });
  });
  return { connected, acks };
}

/** A real pino logger whose messages are kept for the test to wait on. */
function recordingLogger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk
        .toString()
        .split('\n')
        .filter((item) => item.trim() !== '')) {
        messages.push(String((JSON.parse(line) as { msg?: unknown }).msg));
      }
      callback();
    },
  });
  return { logger: createLogger({ destination: stream, level: 'warn' }), messages };
}

async function startSocketApp(
  queue: Queue,
  logger: Logger = createSilentLogger(),
): Promise<{ app: SlackApp; store: Store }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'loom-slack-socket-'));
  const store = await openStore({ dataDir });
  cleanups.push(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  const app = createSlackApp({
    slack: { botToken: 'xoxb-test', signingSecret: undefined, appToken: 'xapp-1-test', apiUrl: slackApiUrl },
    store,
    queue,
    logger,
  });
  expect(app.mode).toBe('socket');
  expect(app.routes).toEqual([]);
  await app.start();
  cleanups.push(() => app.stop());
  return { app, store };
}

function envelope(body: Record<string, unknown>, envelopeId: string, retryAttempt = 0) {
  return JSON.stringify({
    envelope_id: envelopeId,
    payload: body,
    type: 'events_api',
    accepts_response_payload: false,
    retry_attempt: retryAttempt,
    retry_reason: retryAttempt === 0 ? '' : 'timeout',
  });
}

describe('Slack app in Socket Mode', () => {
  it('acknowledges an event envelope after its job is enqueued', async () => {
    answerAuthTest();
    const slack = await fakeSocketModeServer();
    const queueName = uniqueName('loomtest-slack-socket');
    const queue = createJobQueue({
      connection: { url: redisUrl, connectionName: `${queueName}-producer` },
      queueName,
      logger: createSilentLogger(),
    });
    cleanups.push(async () => {
      await queue.obliterate({ force: true });
      await closeJobQueue(queue);
    });
    await waitForQueueReady(queue, 5000);
    await startSocketApp(queue);
    const socket = await slack.connected;
    const body = appMention('fix the login test in acme/web');
    socket.send(envelope(body, 'env-1'));
    await waitFor(async () => slack.acks.length > 0, 'the ack');
    expect(slack.acks.map((ack) => ack.envelope_id)).toEqual(['env-1']);
    const job = await queue.getJob(jobIdForDelivery(body.event_id as string));
    expect(job?.data).toMatchObject({ source: 'slack', repository: 'acme/web', command: 'run' });
    expect(job?.timestamp).toBeLessThanOrEqual(slack.acks[0]?.at as number);
  });

  it('withholds the ack when the job cannot be enqueued, so Slack redelivers', async () => {
    answerAuthTest();
    const slack = await fakeSocketModeServer();
    const deadPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const deadQueue = createJobQueue({
      connection: { url: `redis://127.0.0.1:${deadPort}`, connectionName: 'loomtest-dead-producer' },
      queueName: 'loomtest-dead',
      logger: createSilentLogger(),
    });
    cleanups.push(() => closeJobQueue(deadQueue));
    const { logger, messages } = recordingLogger();
    const { store } = await startSocketApp(deadQueue, logger);
    const socket = await slack.connected;
    const body = appMention('fix the login test in acme/web');
    socket.send(envelope(body, 'env-2'));
    await waitFor(
      async () => messages.includes('Slack event not processed; left for Slack to retry'),
      'the failure',
    );
    expect(slack.acks).toEqual([]);
    expect(await store.requests.get(body.event_id as string)).toBeUndefined();
  });
});
