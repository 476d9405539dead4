/**
 * A throwaway redis-server on a port of our choosing, so a test can kill it and start it again on the
 * same port (the shared Redis at 6379 must never be stopped by a test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

export interface RedisServerProcess {
  port: number;
  url: string;
  /** Kills the server at once (SIGKILL), like a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

export async function startRedisServerProcess(port?: number): Promise<RedisServerProcess> {
  const chosenPort = port ?? (await findFreePort());
  const url = `redis://127.0.0.1:${chosenPort}`;
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      ['--bind', '127.0.0.1', '--port', String(chosenPort), '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitUntil(async () => (await answers(url)) === true, 5_000, `redis-server on ${chosenPort}`);
  };
  await launch();
  return {
    port: chosenPort,
    url,
    async kill() {
      const running = child;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGKILL');
      await exited;
    },
    restart: launch,
  };
}

export async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 250,
    commandTimeout: 250,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export async function waitUntil(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function findFreePort(): Promise<number> {
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
