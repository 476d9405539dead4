/**
 * `loom start` as a user runs it: a real process with a throwaway Redis and a SQLite store in a temp
 * data directory. It answers /healthz, runs a queued job, follows Redis going away and coming back
 * without a restart, and stops cleanly on SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJobQueue, createJobQueue, enqueueJob, waitForQueueReady } from '../../queue/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import {
  findFreePort,
  startRedisServerProcess,
  waitUntil,
  type RedisServerProcess,
} from '../server/support/redis-server-process.js';

const loomBin = fileURLToPath(new URL('../../src/cli/loom.js', import.meta.url));

async function healthStatus(url: string): Promise<number> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).status;
  } catch {
    return 0;
  }
}

describe('loom start', () => {
  let redis: RedisServerProcess;
  let dataDir: string;
  let child: ChildProcess;
  let url: string;
  let output = '';
  let exited: Promise<number | null>;

  beforeAll(async () => {
    redis = await startRedisServerProcess();
    dataDir = await mkdtemp(join(tmpdir(), 'loom-start-'));
    const port = await findFreePort();
    url = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [loomBin, 'start'], {
      env: {
        PATH: process.env.PATH,
        HOME: dataDir,
        PORT: String(port),
        LOOM_DATA_DIR: dataDir,
        REDIS_URL: redis.url,
        LOOM_SHUTDOWN_TIMEOUT_MS: '3000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await waitUntil(
      async () => (await healthStatus(url)) === 200,
      30_000,
      `/healthz 200; output:\n${output}`,
    );
  }, 40_000);

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await redis.kill();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('logs one line per integration it switched off', () => {
    expect(output).toMatch(/github is off: missing APP_ID/);
    expect(output).toMatch(/slack is off/);
    expect(output).toMatch(/models is off/);
  });

  it('runs a job enqueued on its queue and records the run in its store', async () => {
    const logger = createSilentLogger();
    const store: Store = await openStore({ dataDir });
    const queue = createJobQueue({
      connection: { url: redis.url, connectionName: 'loom-start-test' },
      logger,
    });
    try {
      await waitForQueueReady(queue, 5000);
      const enqueued = await enqueueJob({
        queue,
        ledger: store.requests,
        name: 'echo',
        payload: { version: 1, message: 'hello from the test' },
        deliveryId: `start-test-${Date.now()}`,
        source: 'internal',
        kind: 'echo',
      });
      expect(enqueued.duplicate).toBe(false);
      await waitUntil(
        async () => (await store.runs.getByJobId(enqueued.jobId))?.status === 'done',
        15_000,
        'the echo run to finish',
      );
    } finally {
      await closeJobQueue(queue);
      await store.close();
    }
  });

  it('mounts the LLM proxy, which refuses a call without a token', async () => {
    const response = await fetch(`${url}/proxy/anthropic/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    // The native routes are served before express: same refusal, and observed like any route.
    const native = await fetch(`${url}/proxy/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'not-a-loom-token' },
      body: JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 8, messages: [] }),
    });
    expect(native.status).toBe(401);
    expect(((await native.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/route="\/proxy\/anthropic\/v1\/messages",status="401"/);
    // The proxy's own counters are on the same registry (a refused call is not a model call).
    expect(metrics).toContain('# TYPE loom_proxy_calls_total counter');
    expect(metrics).toContain('# TYPE loom_proxy_cost_usd_total counter');
  });

  it('mounts the threads API, which answers 401 without a token and 200 with one from loom token create', async () => {
    expect((await fetch(`${url}/api/threads`)).status).toBe(401);
    const minted = spawnSync(
      process.execPath,
      [loomBin, 'token', 'create', '--subject', 'tester', '--role', 'admin'],
      {
        env: { PATH: process.env.PATH, HOME: dataDir, LOOM_DATA_DIR: dataDir },
        encoding: 'utf8',
      },
    );
    expect(minted.status).toBe(0);
    const token = minted.stdout.trim().split('\n').pop() as string;
    const response = await fetch(`${url}/api/threads`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
  }, 60_000);

  it('answers 503 while Redis is down and 200 again once it is back, without a restart', async () => {
    await redis.kill();
    await waitUntil(async () => (await healthStatus(url)) === 503, 10_000, '/healthz 503');
    await redis.restart();
    await waitUntil(async () => (await healthStatus(url)) === 200, 15_000, '/healthz 200 again');
  }, 30_000);

  it('stops within 10 s of SIGTERM with exit code 0', async () => {
    const started = Date.now();
    child.kill('SIGTERM');
    const code = await exited;
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(output).toContain('stopped');
  }, 15_000);
});
