/**
 * `loom start` as a new user runs it: a child process configured by environment variables only, with
 * its own throwaway redis-server (so no other test's queue can interfere) and data directory. Once
 * `/healthz` answers 200 the test drives it through its public surfaces: HTTP, and the `loom` CLI run
 * as further child processes with the same data directory and secrets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findFreePort,
  startRedisServerProcess,
  waitUntil,
  type RedisServerProcess,
} from '../../server/support/redis-server-process.js';
import { runLoom, startLoom, type LoomProcess } from './run-loom.js';

export interface LoomService {
  url: string;
  /** Environment shared by the server and the CLI (home, data directory, JWT secret when given). */
  baseEnv: Record<string, string>;
  process: LoomProcess;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  /** Runs the `loom` CLI against this server's data directory and secrets. */
  cli(
    args: string[],
    env?: Record<string, string>,
    timeoutMs?: number,
  ): Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** `loom token create --subject admin --role admin`, printed by the CLI. */
  adminToken(): Promise<string>;
  /** `GET /metrics` as text. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

async function healthStatus(url: string): Promise<number> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) })).status;
  } catch {
    return 0;
  }
}

export async function startLoomService(env: Record<string, string>): Promise<LoomService> {
  const home = await mkdtemp(join(tmpdir(), 'loom-e2e-home-'));
  let redis: RedisServerProcess | undefined;
  let loom: LoomProcess | undefined;
  const stop = async (): Promise<void> => {
    if (loom !== undefined && loom.child.exitCode === null && loom.child.signalCode === null) {
      loom.child.kill('SIGTERM');
      const killer = setTimeout(() => loom?.child.kill('SIGKILL'), 15_000);
      await loom.exited;
      clearTimeout(killer);
    }
    await redis?.kill();
    await rm(home, { recursive: true, force: true });
  };
  try {
    redis = await startRedisServerProcess();
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    // Without LOOM_JWT_SECRET the server generates one into the data directory, where
    // `loom token create` finds it: the CLI shares the data directory (and the secret, when set).
    const baseEnv: Record<string, string> = {
      HOME: home,
      LOOM_DATA_DIR: join(home, '.loom'),
      NO_COLOR: '1',
      ...(env.LOOM_JWT_SECRET === undefined ? {} : { LOOM_JWT_SECRET: env.LOOM_JWT_SECRET }),
    };
    loom = startLoom(['start'], {
      ...baseEnv,
      PORT: String(port),
      REDIS_URL: redis.url,
      LOOM_SHUTDOWN_TIMEOUT_MS: '3000',
      ...env,
    });
    const started = loom;
    const output = () => `--- stdout ---\n${started.stdout()}\n--- stderr ---\n${started.stderr()}`;
    await waitUntil(
      async () => {
        if (started.child.exitCode !== null) throw new Error(`loom start exited early\n${output()}`);
        return (await healthStatus(url)) === 200;
      },
      90_000,
      `loom start to answer /healthz with 200\n${output()}`,
    );
    const cli: LoomService['cli'] = (args, extra = {}, timeoutMs = 60_000) =>
      runLoom(args, { ...baseEnv, ...extra }, { timeoutMs });
    return {
      url,
      baseEnv,
      process: started,
      output,
      cli,
      async adminToken() {
        const minted = await cli(['token', 'create', '--subject', 'admin', '--role', 'admin']);
        if (minted.code !== 0) throw new Error(`loom token create failed: ${minted.stderr}`);
        return minted.stdout.trim().split('\n').pop() ?? '';
      },
      metrics: async () => (await fetch(`${url}/metrics`)).text(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Sum of a Prometheus sample's values over the series whose labels include all of `labels`. */
export function metricSum(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const matches = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (matches) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
