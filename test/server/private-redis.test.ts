import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureRedis, type EnsuredRedis } from '../../src/cli/services/private-redis.js';
import { isLoomError } from '../../src/errors/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { answers, findFreePort, waitUntil } from './support/redis-server-process.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDataDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'loom-redis-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

async function ensure(options: { url: string; explicit: boolean; dataDir: string }): Promise<EnsuredRedis> {
  const redis = await ensureRedis({ ...options, logger: createSilentLogger() });
  cleanups.push(() => redis.stop());
  return redis;
}

async function silentUrl(): Promise<string> {
  return `redis://127.0.0.1:${await findFreePort()}`;
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('expected a rejection');
  return error;
}

describe('ensureRedis', () => {
  it('uses a Redis that answers at the URL', async () => {
    const dataDir = tempDataDir();
    const redis = await ensure({ url: 'redis://127.0.0.1:6379', explicit: false, dataDir });
    expect(redis).toMatchObject({ url: 'redis://127.0.0.1:6379', private: false });
    expect(existsSync(join(dataDir, 'redis'))).toBe(false);
    await redis.stop();
    expect(await answers('redis://127.0.0.1:6379')).toBe(true);
  });

  it('starts a private redis-server with AOF in the data dir, and stops it', async () => {
    const dataDir = tempDataDir();
    const redis = await ensure({ url: await silentUrl(), explicit: false, dataDir });
    expect(redis.private).toBe(true);
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);

    const client = new Redis(redis.url);
    const key = `loom-aof-probe-${Math.random().toString(36).slice(2)}`;
    await client.set(key, 'kept');
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
    client.disconnect();

    await redis.stop();
    expect(await answers(redis.url)).toBe(false);
    const aofDirectory = join(dataDir, 'redis', 'appendonlydir');
    const aofText = readdirSync(aofDirectory)
      .filter((name) => name.endsWith('.aof'))
      .map((name) => readFileSync(join(aofDirectory, name), 'utf8'))
      .join('');
    expect(aofText).toContain(key);
    await redis.stop(); // idempotent
  });

  it('keeps the data of a private Redis across restarts', async () => {
    const dataDir = tempDataDir();
    const first = await ensure({ url: await silentUrl(), explicit: false, dataDir });
    const writer = new Redis(first.url);
    await writer.set('loom-survives', 'yes');
    writer.disconnect();
    await first.stop();

    const second = await ensure({ url: await silentUrl(), explicit: false, dataDir });
    const reader = new Redis(second.url);
    expect(await reader.get('loom-survives')).toBe('yes');
    reader.disconnect();
  });

  it('shuts down a private Redis left running by an earlier loom before starting a new one', async () => {
    const dataDir = tempDataDir();
    const leftover: EnsuredRedis = await ensure({ url: await silentUrl(), explicit: false, dataDir });
    // No stop(): as if that loom had been killed. A new loom must not run a second server on the same AOF.
    const current = await ensure({ url: await silentUrl(), explicit: false, dataDir });
    expect(current.url).not.toBe(leftover.url);
    await waitUntil(async () => !(await answers(leftover.url)), 5_000, 'the leftover to stop');
    expect(await answers(current.url)).toBe(true);
  });

  it('fails with a clear message, and starts nothing, when an explicit REDIS_URL does not answer', async () => {
    const dataDir = tempDataDir();
    const error = await failure(ensure({ url: await silentUrl(), explicit: true, dataDir }));
    expect(isLoomError(error, 'dependency_unavailable')).toBe(true);
    expect(error.message).toContain('REDIS_URL');
    expect(existsSync(join(dataDir, 'redis'))).toBe(false);
  });

  it('fails with install instructions when redis-server is not on the PATH', async () => {
    const dataDir = tempDataDir();
    const url = await silentUrl();
    // The process's own PATH, without redis-server (this file runs in its own worker process).
    const originalPath = process.env.PATH;
    process.env.PATH = tempDataDir();
    const error = await failure(ensure({ url, explicit: false, dataDir })).finally(() => {
      process.env.PATH = originalPath;
    });
    expect(isLoomError(error, 'dependency_unavailable')).toBe(true);
    expect(error.message).toContain('apt-get install redis-server');
    expect(error.message).toContain('brew install redis');
    expect(error.message).toContain('REDIS_URL');
  });

  it('never prints the password of a REDIS_URL', async () => {
    const port = new URL(await silentUrl()).port;
    const error = await failure(
      ensure({ url: `redis://:hunter2@127.0.0.1:${port}`, explicit: true, dataDir: tempDataDir() }),
    );
    expect(error.message).not.toContain('hunter2');
  });
});
