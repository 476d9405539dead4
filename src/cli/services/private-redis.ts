/**
 * `ensureRedis`: the Redis `loom start` runs on. A Redis that answers at the configured URL is used as
 * it is. When REDIS_URL was not set and nothing answers at the default URL, Loom starts a private
 * `redis-server` (127.0.0.1, a free port, AOF on, data under `<dataDir>/redis`) and stops it on
 * `stop()`. When REDIS_URL was set explicitly and does not answer, Loom fails instead: a private Redis
 * would silently split the queue from the other servers and workers that share that URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { LoomError } from '../../errors/index.js';
import type { Logger } from '../../logging/index.js';
import { redactUrlCredentials } from '../../server/index.js';

export interface EnsureRedisOptions {
  /** REDIS_URL, or its default. */
  url: string;
  /** True when REDIS_URL was set: then Loom never starts a private Redis in its place. */
  explicit: boolean;
  /** LOOM_DATA_DIR; the private Redis keeps its AOF under `<dataDir>/redis`. */
  dataDir: string;
  logger: Logger;
  /** Where to look for `redis-server`, in PATH format; the process's PATH by default. */
  searchPath?: string;
  /** How long a Redis may take to answer a ping; 500 ms by default. */
  pingTimeoutMs?: number;
  /** How long a private redis-server may take to answer after its start; 10 s by default. */
  startTimeoutMs?: number;
}

export interface EnsuredRedis {
  /** The URL every Redis client of this process should use. */
  url: string;
  /** True when Loom started this Redis and owns its life. */
  private: boolean;
  /** Stops a private Redis (its AOF is flushed); does nothing for an external one. Idempotent. */
  stop(): Promise<void>;
}

export const redisInstallHint =
  'Install Redis (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`), ' +
  'or set REDIS_URL to a running Redis.';

const stateFileName = 'loom-private-redis.json';
const stopTimeoutMs = 10_000;
const startAttempts = 3;

export async function ensureRedis(options: EnsureRedisOptions): Promise<EnsuredRedis> {
  const { url, logger } = options;
  const pingTimeoutMs = options.pingTimeoutMs ?? 500;
  const failure = await pingRedis(url, pingTimeoutMs);
  if (failure === undefined) {
    logger.info({ redis: redactUrlCredentials(url) }, 'using Redis');
    return { url, private: false, stop: async () => {} };
  }
  if (options.explicit) {
    throw new LoomError(
      'dependency_unavailable',
      `REDIS_URL (${redactUrlCredentials(url)}) does not answer: ${failure}. Start that Redis or correct ` +
        'REDIS_URL; unset REDIS_URL to let loom start a private redis-server instead.',
    );
  }
  const directory = join(options.dataDir, 'redis');
  await stopLeftover(directory, pingTimeoutMs, logger);
  const binary = await findExecutable('redis-server', options.searchPath ?? process.env.PATH ?? '');
  if (binary === undefined) {
    throw new LoomError(
      'dependency_unavailable',
      `No Redis answers at ${redactUrlCredentials(url)} and redis-server is not on the PATH. ${redisInstallHint}`,
    );
  }
  await mkdir(directory, { recursive: true });
  return startPrivateRedis(binary, directory, options.startTimeoutMs ?? 10_000, logger);
}

/** Resolves to undefined when the Redis answers, else to a short, secret-free reason. */
async function pingRedis(url: string, timeoutMs: number): Promise<string | undefined> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {}); // the failure is reported through the promise below
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (error) {
    return redactUrlCredentials(error instanceof Error ? error.message : String(error));
  } finally {
    client.disconnect();
  }
}

async function findExecutable(name: string, searchPath: string): Promise<string | undefined> {
  for (const directory of searchPath.split(delimiter).filter((entry) => entry !== '')) {
    const candidate = join(directory, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

async function startPrivateRedis(
  binary: string,
  directory: string,
  startTimeoutMs: number,
  logger: Logger,
): Promise<EnsuredRedis> {
  let lastLog: string[] = [];
  // A free port can be taken between our probe and redis-server's bind: then it exits, and we retry.
  for (let attempt = 1; attempt <= startAttempts; attempt += 1) {
    const port = await findFreePort();
    const url = `redis://127.0.0.1:${port}`;
    const child = spawn(binary, redisArguments(port, directory), { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = collectLogTail(child, logger);
    const outcome = await waitUntilAnswering(child, url, startTimeoutMs);
    if (outcome === 'answering') {
      await writeFile(join(directory, stateFileName), JSON.stringify({ port, pid: child.pid }));
      logger.info({ redis: url, dir: directory, pid: child.pid }, 'started a private redis-server');
      return { url, private: true, stop: ownChildStopper(child, directory, logger) };
    }
    lastLog = log;
    if (outcome === 'timeout') {
      child.kill('SIGKILL');
      throw new LoomError(
        'dependency_unavailable',
        `The private redis-server did not answer within ${startTimeoutMs} ms. Last log lines:\n${lastLog.join('\n')}`,
      );
    }
  }
  throw new LoomError(
    'dependency_unavailable',
    `The private redis-server exited during start (${startAttempts} attempts). Last log lines:\n${lastLog.join('\n')}`,
  );
}

function redisArguments(port: number, directory: string): string[] {
  return [
    ...['--bind', '127.0.0.1', '--port', String(port), '--protected-mode', 'yes'],
    ...['--dir', directory, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
    // Reliability item 33: reject writes when full rather than silently evicting job keys.
    ...['--maxmemory-policy', 'noeviction', '--daemonize', 'no', '--logfile', ''],
  ];
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Keeps the last lines redis-server printed (for error messages) and forwards them at debug level. */
function collectLogTail(child: ChildProcess, logger: Logger, keep = 20): string[] {
  const tail: string[] = [];
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > keep) tail.shift();
      logger.debug({ component: 'redis-server' }, line);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.on('error', (error) => tail.push(`spawn failed: ${error.message}`));
  return tail;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitUntilAnswering(
  child: ChildProcess,
  url: string,
  timeoutMs: number,
): Promise<'answering' | 'exited' | 'timeout'> {
  let spawnFailed = false;
  child.once('error', () => (spawnFailed = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spawnFailed || hasExited(child)) return 'exited';
    if ((await pingRedis(url, 250)) === undefined) return 'answering';
    await sleep(100);
  }
  return 'timeout';
}

function ownChildStopper(child: ChildProcess, directory: string, logger: Logger): () => Promise<void> {
  // Last resort when the process exits without calling stop(): redis-server handles SIGTERM by
  // flushing its AOF and exiting, so it is not left running on its own.
  const killOnExit = (): void => void child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      process.off('exit', killOnExit);
      if (!hasExited(child)) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), sleep(stopTimeoutMs).then(() => false)]);
        if (!stopped) {
          logger.warn({ pid: child.pid }, 'private redis-server ignored SIGTERM; killing it');
          child.kill('SIGKILL');
          await exited;
        }
      }
      await rm(join(directory, stateFileName), { force: true });
      logger.info({ pid: child.pid }, 'stopped the private redis-server');
    })();
    return stopping;
  };
}

/**
 * A private redis-server left running by a loom that was killed (SIGKILL, OOM) still owns the AOF
 * directory; a second one on the same directory would corrupt it. It is shut down (which flushes its
 * AOF) before a new one starts, but only when it really serves our directory.
 */
async function stopLeftover(directory: string, pingTimeoutMs: number, logger: Logger): Promise<void> {
  const statePath = join(directory, stateFileName);
  const state = await readFile(statePath, 'utf8').then(
    (text) => JSON.parse(text) as { port?: unknown },
    () => undefined,
  );
  if (state === undefined || typeof state.port !== 'number') return;
  const url = `redis://127.0.0.1:${state.port}`;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: pingTimeoutMs,
    // Bounds CONFIG on something that is not Redis, and SHUTDOWN while the AOF is flushed.
    commandTimeout: stopTimeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const [, servedDirectory] = (await client.config('GET', 'dir')) as string[];
    if (servedDirectory !== undefined && servedDirectory === (await realpath(directory))) {
      logger.warn({ redis: url }, 'shutting down a private redis-server left running by an earlier loom');
      await client.shutdown().catch(() => {}); // the server drops the connection as it exits
      const deadline = Date.now() + stopTimeoutMs;
      while (Date.now() < deadline && (await pingRedis(url, 250)) === undefined) await sleep(100);
    }
  } catch {
    // Nothing (of ours) answers on that port any more.
  } finally {
    client.disconnect();
  }
  await rm(statePath, { force: true });
}
