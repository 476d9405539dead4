/**
 * The benchmark's server process: the Slack app on `createHttpApp` exactly as `loom server` mounts
 * it (SQLite store in a temp directory, BullMQ on the local Redis with the queue name given), plus a
 * loopback stand-in for Slack's Web API (auth.test). Prints `{"ready":true,"url":...}` when
 * listening; cleans up and exits when stdin closes (the parent went away) or on SIGTERM.
 * Usage: node --import tsx bench/slack-ingress/slack-ingress-server.ts <queueName> <signingSecret> [databaseUrl]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlackApp } from '../../bots/slack/index.js';
import { closeJobQueue, createJobQueue, waitForQueueReady } from '../../queue/index.js';
import { createLogger } from '../../src/logging/index.js';
import { createHttpApp, createMetrics, startHttpServer } from '../../src/server/index.js';
import { openStore } from '../../src/store/index.js';

const [queueName = 'loom-bench-slack', signingSecret = 'bench-signing-secret', databaseUrl] =
  process.argv.slice(2);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const slackApi = createServer((request, response) => {
  request.resume();
  response.setHeader('content-type', 'application/json');
  if (request.url === '/api/auth.test') {
    response.end(
      JSON.stringify({ ok: true, team_id: 'T0BENCH001', user_id: 'U0LOOMBOT1', bot_id: 'B0LOOMBOT1' }),
    );
  } else {
    response.end(JSON.stringify({ ok: true, ts: '1800000000.000001' }));
  }
});
await new Promise<void>((resolve) => slackApi.listen(0, '127.0.0.1', resolve));
const { port: slackPort } = slackApi.address() as { port: number };

const logger = createLogger({ level: 'warn', destination: process.stderr });
const dataDir = await mkdtemp(join(tmpdir(), 'loom-bench-slack-'));
const store = await openStore({ dataDir, logger, ...(databaseUrl === undefined ? {} : { databaseUrl }) });
const queue = createJobQueue({
  connection: { url: redisUrl, connectionName: `${queueName}-producer` },
  queueName,
  logger,
});
await waitForQueueReady(queue, 5000);
const slackApp = createSlackApp({
  slack: {
    botToken: 'xoxb-bench',
    signingSecret,
    appToken: undefined,
    apiUrl: `http://127.0.0.1:${slackPort}/api/`,
  },
  store,
  queue,
  logger,
});
const app = createHttpApp({
  logger,
  metrics: createMetrics({ logger }),
  healthChecks: [],
  integrations: { slack: 'enabled' },
  routes: slackApp.routes,
});
const server = await startHttpServer(app, { port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ ready: true, url: server.url })}\n`);
const cpuAtReady = process.cpuUsage();

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // CPU time the server spent from ready to stop (user + system), for the report.
  const cpu = process.cpuUsage(cpuAtReady);
  process.stdout.write(`${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  await server.close(2000);
  await slackApp.stop();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await closeJobQueue(queue);
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
  slackApi.close();
  process.exit(0);
}
process.stdin.on('end', () => void stop());
process.stdin.resume();
process.once('SIGTERM', () => void stop());
