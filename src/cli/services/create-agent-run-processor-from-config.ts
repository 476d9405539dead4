/**
 * Composition of the `agent-run` processor for a worker process: GitHub worker dependencies (app
 * auth, proxy model access with per-job tokens, weaver backend, mirrors, conversation lock) when
 * GitHub and a model are configured. Surfaces that are off are left out; their jobs fail with a
 * clear reason instead of hanging.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Queue } from 'bullmq';
import {
  createChoreAgentRunHandler,
  createChoresSyncProcessor,
  createOctokitChoresApi,
} from '../../../bots/github/chores/index.js';
import {
  createChoreWorkRunner,
  createOctokitWorkerApi,
  createProxyModelAccess,
  startAgentRunWatchdog,
  type GithubWorkerDeps,
} from '../../../bots/github/worker/index.js';
import {
  createAgentRunProcessor,
  type AgentRunProcessorDeps,
} from '../../../queue/processors/agent-run-processor.js';
import { createRedisConversationLock } from '../../../queue/processors/redis-conversation-lock.js';
import { createRedisClient, defaultJobPolicy, type JobProcessor } from '../../../queue/index.js';
import { createTokenService, loadTokenKeys } from '../../auth/index.js';
import type { LoomConfig } from '../../config/index.js';
import type { Logger } from '../../logging/index.js';
import { createOutboundHttpAgent } from '../../outbound/index.js';
import { sanitizeUntrustedText } from '../../sanitize/index.js';
import {
  createSlackAgentRunHandler,
  createSlackCommandRunner,
  createSlackSteering,
  createSlackTaskRunner,
  createSlackWebApi,
  startSlackRunWatchdog,
} from '../../../bots/slack/index.js';
import { createRedisConversationInbox } from '../../../queue/processors/redis-conversation-inbox.js';
import type { Store } from '../../store/index.js';
import { createWeaver } from '../../weaver/index.js';

/** Budget of a request that names none (`budget=$N` overrides it), in USD. */
export const defaultRequestBudgetUsd = 5;
/** Wall time of one agent run before it stops and pushes its partial work. */
export const defaultRunWallTimeMs = 45 * 60_000;

export interface AgentRunProcessorFromConfig {
  processor: JobProcessor<'agent-run'>;
  /** `chores-sync`, when GitHub is configured. */
  choresSync?: JobProcessor<'chores-sync'>;
  close(): Promise<void>;
}

export async function createAgentRunProcessorFromConfig(input: {
  config: LoomConfig;
  store: Store;
  /** The queue chore schedules live on (the `chores-sync` job reconciles them). */
  queue: Queue;
  redisUrl: string;
  /** Where this process's own server listens, when it runs one (the proxy is there). */
  localServerUrl: string | undefined;
  logger: Logger;
}): Promise<AgentRunProcessorFromConfig> {
  const { config, store, logger } = input;
  const closers: Array<() => Promise<void>> = [];
  const deps: AgentRunProcessorDeps = {};
  // Conversation locks and inboxes (steering, stop, status) are shared by every worker through Redis.
  const coordination = createRedisClient(
    { url: input.redisUrl, connectionName: 'loom-conversations' },
    'worker',
  );
  closers.push(async () => coordination.disconnect());
  const inbox = createRedisConversationInbox({ redis: coordination });
  const handlers: NonNullable<AgentRunProcessorDeps['handlers']> = {};
  let choresSync: JobProcessor<'chores-sync'> | undefined;
  const slackApi =
    config.slack === undefined
      ? undefined
      : createSlackWebApi({
          token: config.slack.botToken,
          apiUrl: config.slack.apiUrl,
          logger,
          agent: createOutboundHttpAgent(config.outboundProxy),
        });
  const proxyUrl = config.proxyUrl ?? input.localServerUrl ?? config.server.url;
  if (config.github !== undefined && config.model !== undefined && proxyUrl !== undefined) {
    const weavers = await createWeaver(config, { logger });
    closers.push(() => weavers.close());
    const tokens = createTokenService({
      keys: await loadTokenKeys({
        jwtSecret: config.jwtSecret,
        dataDir: config.dataDir,
        ...config.jwtKeyFiles,
      }),
    });
    const privateKey =
      config.github.privateKey ?? (await readFile(config.github.privateKeyPath as string, 'utf8'));
    const api = createOctokitWorkerApi({
      appId: config.github.appId,
      privateKey,
      apiUrl: config.github.apiUrl,
      logger,
    });
    const github: GithubWorkerDeps = {
      api,
      models: createProxyModelAccess({
        tokens,
        revocations: store.revocations,
        model: config.model,
        proxyUrl,
      }),
      createWeaver: (request) => weavers.open(request),
      gitUrl: config.github.gitUrl,
      outboundProxy: config.outboundProxy,
      mirrorsDir: join(config.dataDir, 'mirrors'),
      workspacesDir: join(config.dataDir, 'workspaces'),
      threads: store.threads,
      conversationLock: createRedisConversationLock({ redis: coordination }),
      inbox,
      sanitize: sanitizeUntrustedText,
      defaultBudgetUsd: defaultRequestBudgetUsd,
      maxWallTimeMs: defaultRunWallTimeMs,
      maxAttempts: defaultJobPolicy.attempts,
    };
    deps.github = github;
    const choresApi = createOctokitChoresApi({
      appId: config.github.appId,
      privateKey,
      apiUrl: config.github.apiUrl,
      logger,
    });
    handlers.chore = createChoreAgentRunHandler({
      runWork: createChoreWorkRunner(github),
      store,
      github: choresApi,
      maxAttempts: defaultJobPolicy.attempts,
      ...(slackApi === undefined
        ? {}
        : {
            notifySlack: async ({ channel, text }) => {
              await slackApi.postMessage({ channel, text });
            },
          }),
    });
    choresSync = createChoresSyncProcessor({ github: choresApi, queue: input.queue, store });
    const watchdog = startAgentRunWatchdog({ runs: store.runs, api, logger });
    closers.push(async () => watchdog.stop());
  } else if (config.github !== undefined) {
    logger.warn(
      'GitHub requests will not run in this worker: it needs a model (LOOM_MODEL or a provider key) and a proxy URL (LOOM_PROXY_URL or LOOM_SERVER_URL)',
    );
  }
  if (config.slack !== undefined) {
    // Slack tasks run through the GitHub pipeline (a Slack request names a repository the app is
    // installed on); without GitHub and a model, they end with a clear final message instead.
    const api = slackApi as NonNullable<typeof slackApi>;
    // Final messages for Slack runs that ended without their handler (every attempt died).
    const slackWatchdog = startSlackRunWatchdog({
      runs: store.runs,
      requests: store.requests,
      state: store.slack,
      api,
      logger,
    });
    closers.push(() => slackWatchdog.stop());
    Object.assign(handlers, {
      slack: createSlackAgentRunHandler({
        api,
        state: store.slack,
        runCommand: createSlackCommandRunner(inbox),
        ...(deps.github === undefined
          ? {}
          : {
              runTask: createSlackTaskRunner({ github: deps.github }),
              steer: createSlackSteering(inbox),
            }),
      }),
    });
  }
  deps.handlers = handlers;
  return {
    processor: createAgentRunProcessor(deps),
    ...(choresSync === undefined ? {} : { choresSync }),
    close: async () => {
      for (const close of closers.reverse()) await close();
    },
  };
}
