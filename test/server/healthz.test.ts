import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logging/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import {
  createHttpApp,
  createMetrics,
  createRedisHealthCheck,
  createStoreHealthCheck,
  startHttpServer,
  type HealthCheck,
  type RunningHttpServer,
} from '../../src/server/index.js';
import {
  startRedisServerProcess,
  waitUntil,
  type RedisServerProcess,
} from './support/redis-server-process.js';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real store (SQLite in a temp dir) and its health check. */
async function sqliteStore(): Promise<{ check: HealthCheck; store: Store }> {
  const directory = mkdtempSync(join(tmpdir(), 'loom-healthz-'));
  const store = await openStore({ dataDir: directory });
  cleanups.push(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });
  return { check: createStoreHealthCheck(store), store };
}

async function serve(redisUrl: string, storeCheck: HealthCheck): Promise<RunningHttpServer> {
  const logger = createSilentLogger();
  const redisCheck = createRedisHealthCheck({ url: redisUrl, logger });
  const app = createHttpApp({
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    healthChecks: [storeCheck, redisCheck],
    integrations: { github: 'enabled', slack: 'disabled' },
  });
  const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  cleanups.push(
    () => redisCheck.close(),
    () => server.close(1_000),
  );
  return server;
}

interface HealthBody {
  status: string;
  components: Record<string, { status: string; latency_ms: number; error?: string }>;
  integrations: Record<string, string>;
  version: string;
}

async function getHealth(
  server: RunningHttpServer,
): Promise<{ status: number; body: HealthBody; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${server.url}/healthz`);
  return { status: response.status, body: (await response.json()) as HealthBody, ms: Date.now() - started };
}

describe('GET /healthz', () => {
  it('answers 200 with the state of a real Redis and a real SQLite database', async () => {
    const server = await serve('redis://127.0.0.1:6379', (await sqliteStore()).check);
    const { status, body } = await getHealth(server);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.components.store).toMatchObject({ status: 'up', latency_ms: expect.any(Number) });
    expect(body.components.redis).toMatchObject({ status: 'up', latency_ms: expect.any(Number) });
    expect(body.integrations).toEqual({ github: 'enabled', slack: 'disabled' });
    expect(body.version).toBe(packageVersion);
  });

  it('turns 503 when Redis dies and 200 again when it is back, without restarting the app', async () => {
    const redis: RedisServerProcess = await startRedisServerProcess();
    cleanups.push(() => redis.kill());
    const server = await serve(redis.url, (await sqliteStore()).check);
    expect((await getHealth(server)).status).toBe(200);

    await redis.kill();
    const down = await getHealth(server);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('down');
    expect(down.body.components.redis).toMatchObject({ status: 'down', error: expect.any(String) });
    expect(down.body.components.store?.status).toBe('up');
    expect(down.ms).toBeLessThan(2_000);

    await redis.restart();
    await waitUntil(async () => (await getHealth(server)).status === 200, 10_000, '/healthz to recover');
    expect((await getHealth(server)).body.components.redis?.status).toBe('up');
  });

  it('answers 503 within the check timeout while the Redis address does not answer at all', async () => {
    const redis = await startRedisServerProcess();
    await redis.kill();
    const server = await serve(redis.url, (await sqliteStore()).check);
    const { status, body, ms } = await getHealth(server);
    expect(status).toBe(503);
    expect(body.components.redis?.status).toBe('down');
    expect(ms).toBeLessThan(2_000);
  });

  it('answers 503 when the store is down', async () => {
    const { check, store } = await sqliteStore();
    const server = await serve('redis://127.0.0.1:6379', check);
    expect((await getHealth(server)).status).toBe(200);
    await store.close();
    const { status, body } = await getHealth(server);
    expect(status).toBe(503);
    expect(body.components.store).toMatchObject({
      status: 'down',
      error: expect.stringContaining('dependency_unavailable'),
    });
    expect(body.components.redis?.status).toBe('up');
  });
});
