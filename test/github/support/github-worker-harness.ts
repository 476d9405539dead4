/**
 * Everything a GitHub worker test runs against, on loopback and torn down in `cleanup()`:
 * - a GitHub-compatible host: the fake REST API at an Enterprise-style base (nock at
 *   `http://ghe.test/api/v3`, or a loopback server for child processes) and a real git smart-HTTP
 *   server that accepts exactly the installation tokens the fake API issued;
 * - a model server speaking the Anthropic API, behind the real Loom proxy (job tokens, budgets);
 * - a real SQLite store, a BullMQ queue with a unique name on the shared Redis, and workers running
 *   the real `agent-run` processor.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import nock from 'nock';
import type { GithubWorkerDeps } from '../../../bots/github/worker/index.js';
import { createSilentLogger } from '../../../src/logging/index.js';
import { openStore, type RunRecord, type Store } from '../../../src/store/index.js';
import {
  closeJobQueue,
  createJobQueue,
  createWorker,
  enqueueJob,
  stopWorker,
  waitForQueueReady,
  type JobPayloadInput,
  type LoomWorker,
} from '../../../queue/index.js';
import { createAgentRunProcessor } from '../../../queue/processors/agent-run-processor.js';
import { anthropicKey } from '../../proxy/support/fake-provider.js';
import { startProxy, type ProxyHarness } from '../../proxy/support/start-proxy.js';
import { uniqueName, waitFor } from '../../queue/support/wait-for.js';
import { FakeGithub } from './fake-github.js';
import { startGitHttpServer, type GitHttpServer } from './git-http-server.js';
import { createHostedRepository } from './hosted-repository.js';
import {
  startScriptedAnthropicServer,
  type ModelScript,
  type ScriptedAnthropicServer,
} from './scripted-anthropic-server.js';
import { testAppId, testAppKeys, testAppSlug, testWorkerDeps } from './worker-deps.js';

export const gheApiUrl = 'http://ghe.test/api/v3';
export const sharedRedisUrl = 'redis://127.0.0.1:6379';
export const owner = 'acme';
export const repo = 'calc';

/** A small project whose test fails: `sum` subtracts. */
export const failingProject: Record<string, string> = {
  'package.json': '{ "name": "calc", "version": "1.0.0", "scripts": { "test": "node test.js" } }\n',
  'sum.js': 'module.exports = { sum: (a, b) => a - b };\n',
  'test.js':
    "const assert = require('node:assert');\nconst { sum } = require('./sum.js');\nassert.strictEqual(sum(2, 3), 5);\nconsole.log('all tests passed');\n",
  'AGENTS.md': 'BASE-INSTRUCTIONS: run `node test.js` before you finish.\n',
};

export interface WorkerHarness {
  fake: FakeGithub;
  git: GitHttpServer;
  model: ScriptedAnthropicServer;
  proxy: ProxyHarness;
  store: Store;
  queue: Queue;
  queueName: string;
  dataDir: string;
  /** Commit of `main` on the host. */
  initialCommit: string;
  deps: GithubWorkerDeps;
  startWorker(
    overrides?: Partial<GithubWorkerDeps>,
    limits?: { lockDuration?: number; stalledInterval?: number },
  ): LoomWorker;
  /** The environment the worker child process (fixtures/github-worker-process.ts) needs. */
  childEnvironment(): Record<string, string>;
  /** Enqueues an agent-run as the ingress would; returns its job id. */
  enqueue(payload: Omit<JobPayloadInput<'agent-run'>, 'deliveryId'>, deliveryId?: string): Promise<string>;
  /** Waits until the job's run is final and returns it. */
  finishedRun(jobId: string, timeoutMs?: number): Promise<RunRecord>;
  cleanup(): Promise<void>;
}

export interface WorkerHarnessOptions {
  script: ModelScript;
  /** `nock` (default): the API at http://ghe.test/api/v3 in this process; `loopback`: a real port. */
  api?: 'nock' | 'loopback';
  files?: Record<string, string>;
}

export async function createWorkerHarness(options: WorkerHarnessOptions): Promise<WorkerHarness> {
  const logger = createSilentLogger();
  const { privateKey, publicKey } = testAppKeys();
  const fake = new FakeGithub({
    owner,
    repo,
    appId: testAppId,
    appSlug: testAppSlug,
    appPublicKey: publicKey,
  });
  const closers: Array<() => Promise<unknown>> = [];
  let apiUrl = gheApiUrl;
  if (options.api === 'loopback') {
    const server = await fake.listen();
    apiUrl = server.apiUrl;
    closers.push(server.close);
  } else {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    fake.mountWithNock(gheApiUrl);
    closers.push(async () => {
      nock.cleanAll();
      nock.enableNetConnect();
    });
  }
  const git = await startGitHttpServer({ isValidToken: (token) => fake.isValidToken(token) });
  closers.push(git.close);
  const initialCommit = await createHostedRepository(git.root, owner, repo, options.files ?? failingProject);
  const model = await startScriptedAnthropicServer({ apiKey: anthropicKey, script: options.script });
  closers.push(model.close);
  const proxy = await startProxy({ upstreamUrl: model.url });
  closers.push(proxy.close);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'loom-gh-worker-'));
  closers.push(() => rm(dataDir, { recursive: true, force: true }));
  const store = await openStore({ dataDir });
  closers.push(() => store.close());
  const queueName = uniqueName('loomtest-ghworker');
  const queue = createJobQueue({
    connection: { url: sharedRedisUrl, connectionName: `${queueName}-producer` },
    queueName,
    logger,
  });
  await waitForQueueReady(queue, 5_000);
  closers.push(async () => {
    const admin = new Queue(queueName, { connection: { url: sharedRedisUrl, maxRetriesPerRequest: 1 } });
    await admin.obliterate({ force: true }).catch(() => undefined);
    await admin.close().catch(() => undefined);
    await closeJobQueue(queue);
  });
  const deps = testWorkerDeps({
    apiUrl,
    privateKey,
    gitUrl: git.url,
    proxyUrl: proxy.url,
    dataDir,
    logger,
    threads: store.threads,
    revocations: proxy.revocations,
  });
  const workers: LoomWorker[] = [];
  let deliveries = 0;
  return {
    fake,
    git,
    model,
    proxy,
    store,
    queue,
    queueName,
    dataDir,
    initialCommit,
    deps,
    childEnvironment: () => ({
      LOOM_TEST_DATA_DIR: dataDir,
      LOOM_TEST_API_URL: apiUrl,
      LOOM_TEST_PRIVATE_KEY: privateKey,
      LOOM_TEST_GIT_URL: git.url,
      LOOM_TEST_PROXY_URL: proxy.url,
      LOOM_TEST_REDIS_URL: sharedRedisUrl,
      LOOM_TEST_QUEUE_NAME: queueName,
      LOOM_TEST_CONNECTION_NAME: `${queueName}-child`,
    }),
    startWorker(overrides = {}, limits = {}) {
      const worker = createWorker({
        ...limits,
        connection: { url: sharedRedisUrl, connectionName: `${queueName}-worker-${workers.length}` },
        queueName,
        concurrency: 2,
        processors: { 'agent-run': createAgentRunProcessor({ github: { ...deps, ...overrides } }) },
        store,
        logger,
      });
      workers.push(worker);
      return worker;
    },
    async enqueue(payload, deliveryId) {
      deliveries += 1;
      const result = await enqueueJob({
        queue,
        ledger: store.requests,
        name: 'agent-run',
        payload,
        deliveryId: deliveryId ?? `${queueName}-delivery-${deliveries}`,
        source: 'github',
        kind: 'issue_comment.created',
        policy: { backoff: { type: 'fixed', delay: 200 } },
      });
      return result.jobId;
    },
    finishedRun: (jobId, timeoutMs = 90_000) =>
      waitFor(
        async () => {
          const run = await store.runs.getByJobId(jobId);
          return run !== undefined && !['queued', 'running'].includes(run.status) ? run : undefined;
        },
        { timeoutMs, intervalMs: 100, what: `run of job ${jobId}` },
      ),
    async cleanup() {
      for (const worker of workers) await stopWorker(worker, 2_000).catch(() => undefined);
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}

let triggerCounter = 5000;

/** An `agent-run` payload as the ingress builds it for a mention on issue/PR `number`. */
export function githubRequest(input: {
  number: number;
  prompt: string;
  login?: string;
  isPullRequest?: boolean;
  command?: 'run' | 'stop' | 'status';
  budgetUsd?: number;
  commentId?: number;
  triggeredAt?: string;
}): Omit<JobPayloadInput<'agent-run'>, 'deliveryId'> {
  const login = input.login ?? 'alice';
  triggerCounter += 1;
  return {
    version: 1,
    source: 'github',
    prompt: input.prompt,
    repository: `${owner}/${repo}`,
    requester: { source: 'github', id: '501', login },
    conversationKey: `github:${owner}/${repo}#${input.number}`,
    ...(input.command ? { command: input.command } : {}),
    ...(input.budgetUsd ? { budgetUsd: input.budgetUsd } : {}),
    github: {
      installationId: 77,
      owner,
      repo,
      number: input.number,
      isPullRequest: input.isPullRequest ?? false,
      trigger: 'issue_comment',
      commentId: input.commentId ?? triggerCounter,
      triggeredAt: input.triggeredAt ?? new Date().toISOString(),
      sender: { login, id: 501 },
      appSlug: testAppSlug,
    },
  };
}
