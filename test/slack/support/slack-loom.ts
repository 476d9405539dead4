/**
 * Loom's Slack path wired as `loom start` wires it, in process: the Slack ingress (signed events,
 * real SQLite, real Redis queue), a worker running the real Slack handler, task runner, commands and
 * steering over the Redis conversation inbox, and the GitHub pipeline's dependencies from the GitHub
 * worker harness (fake REST API, real git server, scripted Anthropic server behind the real proxy).
 */
import nock from 'nock';
import {
  createSlackAgentRunHandler,
  createSlackCommandRunner,
  createSlackSteering,
  createSlackTaskRunner,
  createSlackWebApi,
} from '../../../bots/slack/index.js';
import { createRedisClient, createWorker, jobIdForDelivery, type LoomWorker } from '../../../queue/index.js';
import { createAgentRunProcessor } from '../../../queue/processors/agent-run-processor.js';
import { createRedisConversationInbox } from '../../../queue/processors/redis-conversation-inbox.js';
import { createSilentLogger } from '../../../src/logging/index.js';
import { createWorkerHarness, type WorkerHarness } from '../../github/support/github-worker-harness.js';
import type { ModelScript } from '../../github/support/scripted-anthropic-server.js';
import { recordPostMessage, recordSlackMethod, type RecordedCall } from './slack-api-mock.js';
import {
  answerAuthTest,
  redisUrl,
  slackApiUrl,
  startSlackHarness,
  waitFor,
  type SlackHarness,
} from './slack-harness.js';

export interface SlackLoom {
  gh: WorkerHarness;
  sl: SlackHarness;
  posts: RecordedCall[];
  updates: RecordedCall[];
  reactions: RecordedCall[];
  close(): Promise<void>;
}

export async function startSlackLoom(script: ModelScript): Promise<SlackLoom> {
  const closers: Array<() => Promise<unknown>> = [];
  const gh = await createWorkerHarness({ script });
  closers.push(() => gh.cleanup());
  answerAuthTest(5);
  const posts = recordPostMessage();
  const updates = recordSlackMethod('chat.update', (params) => ({ ok: true, ts: params.ts }));
  const reactions = recordSlackMethod('reactions.add');
  const sl = await startSlackHarness();
  closers.push(() => sl.close());
  const api = createSlackWebApi({ token: 'xoxb-test', apiUrl: slackApiUrl, logger: createSilentLogger() });
  const inboxRedis = createRedisClient({ url: redisUrl, connectionName: `${sl.queueName}-inbox` }, 'worker');
  closers.push(async () => inboxRedis.disconnect());
  const inbox = createRedisConversationInbox({ redis: inboxRedis, keyPrefix: `${sl.queueName}:inbox:` });
  const github = { ...gh.deps, inbox, inboxPollMs: 100 };
  const processor = createAgentRunProcessor({
    github,
    handlers: {
      slack: createSlackAgentRunHandler({
        api,
        state: sl.store.slack,
        minUpdateIntervalMs: 0,
        runTask: createSlackTaskRunner({ github }),
        runCommand: createSlackCommandRunner(inbox),
        steer: createSlackSteering(inbox),
      }),
    },
  });
  const worker: LoomWorker = createWorker({
    connection: { url: redisUrl, connectionName: `${sl.queueName}-worker` },
    queueName: sl.queueName,
    concurrency: 2,
    processors: { 'agent-run': processor },
    store: sl.store,
    logger: createSilentLogger(),
  });
  closers.push(() => worker.worker.close(true));
  return {
    gh,
    sl,
    posts,
    updates,
    reactions,
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
      nock.cleanAll();
    },
  };
}

/** The run of the job an event became, once it ended. */
export function finishedSlackRun(sl: SlackHarness, eventId: string) {
  const jobId = jobIdForDelivery(eventId);
  return waitFor(
    async () => {
      const run = await sl.store.runs.getByJobId(jobId);
      return run !== undefined && !['queued', 'running'].includes(run.status) ? run : undefined;
    },
    'the Slack run to finish',
    200_000,
  );
}
