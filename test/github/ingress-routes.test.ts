/** `createGithubRoutes` as `startServices` calls it: integration on or off, private key from a file. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGithubRoutes } from '../../bots/github/index.js';
import { loadConfig } from '../../src/config/index.js';
import { isLoomError } from '../../src/errors/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import type { Store } from '../../src/store/index.js';
import {
  gheApiUrl,
  mockGetApp,
  startIngress,
  testPrivateKey,
  testWebhookSecret,
  type IngressHarness,
} from './support/github-ingress-harness.js';
import { issueCommentCreated } from './support/payloads.js';

const cleanups: Array<() => Promise<void>> = [];
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  nock.cleanAll();
});

// Never touched when the routes are not built: a config error must come before any I/O.
const unusedStore = {} as Store;
const unusedQueue = {} as Queue;

describe('createGithubRoutes', () => {
  it('mounts nothing when the GitHub integration is off', () => {
    const config = loadConfig({ WEBHOOK_SECRET: testWebhookSecret }, { role: 'service' });
    expect(config.github).toBeUndefined();
    const routes = createGithubRoutes({
      config,
      store: unusedStore,
      queue: unusedQueue,
      logger: createSilentLogger(),
    });
    expect(routes).toEqual([]);
  });

  it('reads the private key from PRIVATE_KEY_PATH and signs GET /app with it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loom-github-key-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const keyPath = join(dir, 'app.pem');
    await writeFile(keyPath, testPrivateKey());
    const getApp = mockGetApp(gheApiUrl);
    const harness: IngressHarness = await startIngress({
      env: { PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: keyPath },
    });
    cleanups.push(() => harness.cleanup());
    const result = await harness.post(issueCommentCreated({ body: '@loom-bot fix it' }));
    expect(result.status).toBe(202);
    expect(getApp.isDone()).toBe(true);
  });

  it('refuses to start with an unreadable PRIVATE_KEY_PATH (config_invalid)', () => {
    const config = loadConfig(
      {
        APP_ID: '1001',
        PRIVATE_KEY_PATH: join(tmpdir(), 'loom-no-such-key.pem'),
        WEBHOOK_SECRET: testWebhookSecret,
      },
      { role: 'service' },
    );
    let thrown: unknown;
    try {
      createGithubRoutes({ config, store: unusedStore, queue: unusedQueue, logger: createSilentLogger() });
    } catch (error) {
      thrown = error;
    }
    expect(isLoomError(thrown, 'config_invalid')).toBe(true);
  });
});
