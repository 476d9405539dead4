/**
 * One Slack ingress under test: a real SQLite store in a temp directory, a real BullMQ queue on the
 * shared Redis (unique name, obliterated afterwards), the app's router on `createHttpApp` on loopback,
 * and nock answering the Slack Web API at SLACK_API_URL (every other host refused).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import nock from 'nock';
import { createSlackApp, type CreateSlackAppOptions, type SlackApp } from '../../../bots/slack/index.js';
import { closeJobQueue, createJobQueue, jobIdForDelivery, waitForQueueReady } from '../../../queue/index.js';
import { createSilentLogger, type Logger } from '../../../src/logging/index.js';
import {
  createHttpApp,
  createMetrics,
  startHttpServer,
  type RunningHttpServer,
} from '../../../src/server/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { botId, botUserId, teamId } from './slack-events.js';
import { signingSecret } from './signed-post.js';

export const redisUrl = 'redis://127.0.0.1:6379';
export const slackApiOrigin = 'https://slack.test';
export const slackApiUrl = `${slackApiOrigin}/api/`;

export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** nock answering `auth.test` for our bot (`times` calls). */
export function answerAuthTest(times = 1): nock.Scope {
  return nock(slackApiOrigin).post('/api/auth.test').times(times).reply(200, {
    ok: true,
    url: 'https://acme.slack.com/',
    team: 'Acme',
    user: 'loom',
    team_id: teamId,
    user_id: botUserId,
    bot_id: botId,
    is_enterprise_install: false,
  });
}

export interface SlackHarness {
  url: string;
  store: Store;
  queue: Queue;
  queueName: string;
  slackApp: SlackApp;
  dataDir: string;
  /** The job for an event id, if any. */
  job(eventId: string): ReturnType<Queue['getJob']>;
  jobCount(): Promise<number>;
  close(): Promise<void>;
}

export interface SlackHarnessOptions extends Partial<
  Omit<CreateSlackAppOptions, 'store' | 'queue' | 'logger'>
> {
  logger?: Logger;
  /** A queue to use instead of the harness's (e.g. one pointed at a dead Redis). */
  queue?: Queue;
}

export async function startSlackHarness(options: SlackHarnessOptions = {}): Promise<SlackHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'loom-slack-test-'));
  const store = await openStore({ dataDir });
  const queueName = uniqueName('loomtest-slack');
  const logger = options.logger ?? createSilentLogger();
  const ownQueue = createJobQueue({
    connection: { url: redisUrl, connectionName: `${queueName}-producer` },
    queueName,
    logger,
  });
  await waitForQueueReady(ownQueue, 5000);
  const slackApp = createSlackApp({
    slack: { botToken: 'xoxb-test-token', signingSecret, appToken: undefined, apiUrl: slackApiUrl },
    ...options,
    store,
    queue: options.queue ?? ownQueue,
    logger,
  });
  const app = createHttpApp({
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    healthChecks: [],
    integrations: { slack: 'enabled' },
    routes: slackApp.routes,
  });
  const server: RunningHttpServer = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  return {
    url: server.url,
    store,
    queue: ownQueue,
    queueName,
    slackApp,
    dataDir,
    job: (eventId) => ownQueue.getJob(jobIdForDelivery(eventId)),
    jobCount: async () => {
      const counts = await ownQueue.getJobCounts();
      return Object.values(counts).reduce((sum, count) => sum + count, 0);
    },
    close: async () => {
      await slackApp.stop();
      await server.close(1000);
      await ownQueue.obliterate({ force: true }).catch(() => undefined);
      await closeJobQueue(ownQueue);
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
