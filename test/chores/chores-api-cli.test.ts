/**
 * The chores API and `loom chores list|run` against an in-process Loom server (real HTTP, Redis
 * queue, SQLite store, Loom tokens) with a worker whose chore work is a fixed function.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { createChoreAgentRunHandler, createChoresRouter } from '../../bots/github/chores/index.js';
import { createSecretTokenKeys, createTokenService } from '../../src/auth/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import {
  createHttpApp,
  createMetrics,
  startHttpServer,
  type RunningHttpServer,
} from '../../src/server/index.js';
import { createTokenAuthenticator } from '../../src/threads/index.js';
import { reconcileChoreSchedules } from '../../queue/chores/index.js';
import { createAgentRunProcessor } from '../../queue/processors/agent-run-processor.js';
import { closedPort } from '../store/support/closed-port.js';
import { createChoresWorld, installationId, type ChoresWorld } from './support/chores-world.js';

const loomBin = fileURLToPath(new URL('../../src/cli/loom.js', import.meta.url));
const chore = (name: string) => ({
  name,
  schedule: '0 7 * * 1',
  timezone: 'Europe/Berlin',
  prompt: `do ${name}`,
  budgetUsd: 2,
  labels: [],
  reviewers: [],
  slackChannel: undefined,
});

let world: ChoresWorld;
let queue: Queue;
let server: RunningHttpServer;
let adminToken: string;
let userToken: string;

beforeAll(async () => {
  world = await createChoresWorld('chores-api');
  queue = await world.harness.producer();
  const tokens = createTokenService({ keys: createSecretTokenKeys(`chores-test-secret-${'x'.repeat(32)}`) });
  adminToken = tokens.mint({ subject: 'ops', role: 'admin', ttlSeconds: 600 }).token;
  userToken = tokens.mint({ subject: 'dev', role: 'user', ttlSeconds: 600 }).token;
  const logger = createSilentLogger();
  const store = world.harness.store;
  await store.chores.replaceChores('acme/web', installationId, [chore('deps'), chore('broken')]);
  await reconcileChoreSchedules({
    queue,
    repository: 'acme/web',
    installationId,
    chores: [chore('deps'), chore('broken')],
  });
  const app = createHttpApp({
    logger,
    metrics: createMetrics({ defaultMetrics: false }),
    healthChecks: [],
    integrations: {},
    routes: [
      {
        path: '/api/chores',
        router: createChoresRouter({
          store,
          queue,
          authenticate: createTokenAuthenticator({ tokens }),
          logger,
        }),
      },
    ],
  });
  server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
  const handler = createChoreAgentRunHandler({
    store,
    github: world.api,
    runWork: async (payload) => {
      if (payload.chore?.name === 'broken') throw new Error('the agent could not start');
      return { status: 'answered', costUsd: 0.1, turns: 2 };
    },
    maxAttempts: 1,
  });
  world.harness.worker({
    processors: { 'agent-run': createAgentRunProcessor({ handlers: { chore: handler } }) },
  });
});

afterAll(async () => {
  await server?.close(1000);
  await world?.cleanup();
});

function loom(args: string[], env: Record<string, string>) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !['LOOM_SERVER_URL', 'LOOM_TOKEN'].includes(name)),
  );
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [loomBin, ...args],
      { env: { ...base, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          stdout,
          stderr,
        });
      },
    );
  });
}

const get = (path: string, token = adminToken) =>
  fetch(`${server.url}/api/chores${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('chores API', () => {
  it('lists chores with their next run, and refuses non-admin and missing tokens', async () => {
    const response = await get('?repository=acme/web');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      chores: Array<{ name: string; nextRunAt: string; scheduled: boolean; timezone: string }>;
    };
    expect(body.chores.map((entry) => [entry.name, entry.scheduled, entry.timezone])).toEqual([
      ['broken', true, 'Europe/Berlin'],
      ['deps', true, 'Europe/Berlin'],
    ]);
    expect(new Date(body.chores[0]?.nextRunAt ?? '').getUTCDay()).toBe(1);
    expect((await get('?repository=acme/web', userToken)).status).toBe(403);
    expect((await fetch(`${server.url}/api/chores`)).status).toBe(401);
    const unknown = await get('?repository=acme/nothing');
    expect(unknown.status).toBe(404);
  });

  it('runs a chore now and reports its status; unknown chores are 404 naming the known ones', async () => {
    const started = await fetch(`${server.url}/api/chores/acme/web/deps/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    expect(runId).toMatch(/^R-d-chore-/);
    const missing = await fetch(`${server.url}/api/chores/acme/web/nope/runs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(
      /has: broken, deps/,
    );
    expect((await get('/runs/R-unknown')).status).toBe(404);
  });
});

describe('loom chores', () => {
  it('list prints each chore with its next run time', async () => {
    const result = await loom(['chores', 'list', 'acme/web'], {
      LOOM_SERVER_URL: server.url,
      LOOM_TOKEN: adminToken,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/acme\/web deps\s+0 7 \* \* 1 \(Europe\/Berlin\)\s+next 20\d\d-/);
  });

  it('run --wait exits 0 when the run ended well and 1 when it failed', async () => {
    const env = { LOOM_SERVER_URL: server.url, LOOM_TOKEN: adminToken };
    const ok = await loom(['chores', 'run', 'acme/web', 'deps', '--wait', '--poll-ms', '200'], env);
    expect(ok.stdout).toMatch(/: answered .*\$0\.10/);
    expect(ok.code).toBe(0);
    const failed = await loom(['chores', 'run', 'acme/web', 'broken', '--wait', '--poll-ms', '200'], env);
    expect(failed.stdout).toMatch(/: failed \(the agent could not start\)/);
    expect(failed.code).toBe(1);
  });

  it('explains an unknown chore, a missing token and a server that is down', async () => {
    const unknown = await loom(['chores', 'run', 'acme/web', 'nope'], {
      LOOM_SERVER_URL: server.url,
      LOOM_TOKEN: adminToken,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/has no chore "nope"/);
    const noToken = await loom(['chores', 'list'], { LOOM_SERVER_URL: server.url });
    expect(noToken.stderr).toMatch(/LOOM_SERVER_URL needs LOOM_TOKEN/);
    const down = await loom(['chores', 'list'], {
      LOOM_SERVER_URL: `http://127.0.0.1:${await closedPort()}`,
      LOOM_TOKEN: adminToken,
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach the Loom server/);
  });
});
