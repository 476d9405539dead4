/**
 * The GitHub ingress as `loom server` runs it, on loopback: configuration through `loadConfig`, a
 * real SQLite store in a temp directory, a BullMQ queue with a unique name on the shared Redis, the
 * routes from `createGithubRoutes` mounted on `createHttpApp`, and a real HTTP server. GitHub's API
 * is nock (network disabled except loopback). `cleanup()` removes everything the test created.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job, Queue } from 'bullmq';
import nock from 'nock';
import { createGithubRoutes, type GithubRouteOptions } from '../../../bots/github/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { createSilentLogger, type Logger } from '../../../src/logging/index.js';
import {
  createHttpApp,
  createMetrics,
  startHttpServer,
  type RunningHttpServer,
} from '../../../src/server/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { closeJobQueue, createJobQueue, jobIdForDelivery, waitForQueueReady } from '../../../queue/index.js';
import { uniqueName } from '../../queue/support/wait-for.js';
import type { GithubEventFixture } from './payloads.js';

export const sharedRedisUrl = 'redis://127.0.0.1:6379';
export const testAppId = 1001;
export const testAppSlug = 'loom-bot';
export const testWebhookSecret = "It's a Secret to Everybody";
/** A GitHub Enterprise Server style API base (`GHE_HOST=ghe.test`, `GHE_PROTOCOL=http`). */
export const gheApiUrl = 'http://ghe.test/api/v3';

let privateKey: string | undefined;

/** A throwaway RSA key for the app's JWT (generated once per test file; never a real key). */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
  return privateKey;
}

/** `sha256=<hex>` computed here with node:crypto, independently of the verifier under test. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Answers `GET /app` at `apiUrl` once with the test app; `isDone()` tells whether it was asked. */
export function mockGetApp(apiUrl = gheApiUrl, slug = testAppSlug): nock.Scope {
  const url = new URL(apiUrl);
  const path = `${url.pathname.replace(/\/$/, '')}/app`;
  // `GET /app` only answers to the app's own JWT (RS256, three base64url parts).
  return nock(url.origin)
    .matchHeader('authorization', /^bearer [\w-]+\.[\w-]+\.[\w-]+$/i)
    .get(path)
    .reply(200, { id: testAppId, slug, name: 'Loom' });
}

export interface PostOptions {
  deliveryId?: string;
  /** Secret the body is signed with (default: the test secret). */
  secret?: string;
  /** A literal `X-Hub-Signature-256` value (overrides signing); `null` leaves the header out. */
  signature?: string | null;
  /** A body other than the fixture's JSON. */
  body?: string;
  /** Extra or replacement headers; a `null` value removes one. */
  headers?: Record<string, string | null>;
}

export interface PostResult {
  status: number;
  body: Record<string, unknown>;
  deliveryId: string;
  elapsedMs: number;
}

export interface IngressHarness {
  readonly url: string;
  readonly store: Store;
  readonly queue: Queue;
  post(fixture: GithubEventFixture, options?: PostOptions): Promise<PostResult>;
  /** The job a delivery became, straight from BullMQ. */
  job(deliveryId: string): Promise<Job | undefined>;
  /** Jobs of this test's queue in any state. */
  jobCount(): Promise<number>;
  cleanup(): Promise<void>;
}

export interface IngressHarnessOptions {
  /** Environment variables on top of the test app's (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_*). */
  env?: Record<string, string | undefined>;
  routeOptions?: GithubRouteOptions;
  redisUrl?: string;
  logger?: Logger;
}

export function webhookHeaders(fixture: GithubEventFixture, deliveryId: string, signature: string | null) {
  return {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/loom-test',
    'x-github-event': fixture.name,
    'x-github-delivery': deliveryId,
    'x-github-hook-id': '109948940',
    ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
  };
}

export async function startIngress(options: IngressHarnessOptions = {}): Promise<IngressHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'loom-github-ingress-'));
  const logger = options.logger ?? createSilentLogger();
  const config = loadConfig(
    {
      APP_ID: String(testAppId),
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET: testWebhookSecret,
      GHE_HOST: 'ghe.test',
      GHE_PROTOCOL: 'http',
      LOOM_DATA_DIR: dataDir,
      ...options.env,
    },
    { role: 'service' },
  );
  const store = await openStore({ dataDir });
  const queueName = uniqueName('loomtest-github');
  const redisUrl = options.redisUrl ?? sharedRedisUrl;
  const queue = createJobQueue({
    connection: { url: redisUrl, connectionName: queueName },
    queueName,
    logger,
  });
  if (redisUrl === sharedRedisUrl) await waitForQueueReady(queue, 5_000);
  const routes = createGithubRoutes({ config, store, queue, logger }, options.routeOptions);
  const app = createHttpApp({
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    healthChecks: [],
    integrations: { github: 'enabled' },
    routes,
  });
  const server: RunningHttpServer = await startHttpServer(app, { port: 0, host: '127.0.0.1' });

  return {
    url: server.url,
    store,
    queue,
    async post(fixture, postOptions = {}) {
      const deliveryId = postOptions.deliveryId ?? crypto.randomUUID();
      const body = postOptions.body ?? JSON.stringify(fixture.payload);
      const signature =
        postOptions.signature === undefined
          ? signBody(postOptions.secret ?? testWebhookSecret, body)
          : postOptions.signature;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries({
        ...webhookHeaders(fixture, deliveryId, signature),
        ...postOptions.headers,
      })) {
        if (value !== null) headers[name] = value;
      }
      const startedAt = performance.now();
      const response = await fetch(`${server.url}/api/github/webhooks`, { method: 'POST', headers, body });
      const text = await response.text();
      const elapsedMs = performance.now() - startedAt;
      const parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      return { status: response.status, body: parsed, deliveryId, elapsedMs };
    },
    job: async (deliveryId) => (await queue.getJob(jobIdForDelivery(deliveryId))) ?? undefined,
    async jobCount() {
      const counts = await queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'completed',
        'failed',
        'prioritized',
      );
      return Object.values(counts).reduce((total, count) => total + count, 0);
    },
    async cleanup() {
      await server.close(1_000);
      if (redisUrl === sharedRedisUrl) await queue.obliterate({ force: true }).catch(() => undefined);
      await closeJobQueue(queue);
      await store.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
