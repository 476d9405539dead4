/**
 * The Slack app (DESIGN §2, §4): Bolt behind `POST /slack/events` (signed HTTP) or, when
 * SLACK_APP_TOKEN is set, Socket Mode (no public URL needed). Both feed the same listener, which
 * enqueues or answers through `handleSlackMessage`. The acknowledgement is sent only after the
 * event was recorded and enqueued, so a failure answers 5xx (HTTP) or no ack (Socket Mode) and Slack
 * retries.
 */
import { App, ExpressReceiver } from '@slack/bolt';
import type { Queue } from 'bullmq';
import { Router } from 'express';
import { LoomError } from '../../src/errors/index.js';
import type { OutboundProxyConfig, SlackIntegrationConfig } from '../../src/config/index.js';
import type { Logger } from '../../src/logging/index.js';
import { createOutboundHttpAgent } from '../../src/outbound/index.js';
import { filePolicySource, type PolicySource } from '../../src/policy/index.js';
import type { MountedRoute } from '../../src/server/index.js';
import type { Store } from '../../src/store/index.js';
import { createSlackWebApi } from './create-slack-web-api.js';
import { DeferredAckSocketModeReceiver } from './deferred-ack-socket-mode-receiver.js';
import { handleSlackMessage, type SlackIngressDependencies } from './handle-slack-message.js';
import { createReplyTracker } from './reply-tracker.js';
import type { SlackApi } from './slack-api.js';
import { createBotIdentityResolver } from './slack-bot-identity.js';
import { slackErrorResponse } from './slack-error-status.js';
import { parseSlackMessage } from './slack-message.js';
import { toBoltLogger } from './to-bolt-logger.js';
import { verifySlackRequest } from './verify-slack-request.js';

export interface CreateSlackAppOptions {
  slack: SlackIntegrationConfig;
  store: Pick<Store, 'requests' | 'slack'>;
  queue: Queue;
  logger: Logger;
  /** LOOM_POLICY_FILE; unset: the shipped default (members of the installed workspace). */
  policyFile?: string;
  /** A policy source to use instead of `policyFile` (tests). */
  policy?: PolicySource;
  /** Hosts whose URLs name repositories; default `github.com`. */
  githubHosts?: string[];
  /** Clock for the signature's timestamp window (tests). */
  now?: () => number;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY: every call to Slack (Web API, Socket Mode) goes through it. */
  outboundProxy?: OutboundProxyConfig | undefined;
}

export interface SlackApp {
  mode: 'http' | 'socket';
  /** What to mount on the HTTP server: `POST /slack/events` in HTTP mode, nothing in Socket Mode. */
  routes: MountedRoute[];
  /** Connects Socket Mode; nothing to do in HTTP mode. */
  start(): Promise<void>;
  /** Disconnects Socket Mode and waits for replies in flight. */
  stop(): Promise<void>;
  /** Resolves when every immediate reply started so far has been sent (or failed). */
  settle(): Promise<void>;
}

/** Builds the app; nothing connects until `start()` (Socket Mode) or the first request (HTTP). */
export function createSlackApp(options: CreateSlackAppOptions): SlackApp {
  const { slack, logger } = options;
  const log = logger.child({ component: 'slack' });
  const agent = createOutboundHttpAgent(options.outboundProxy);
  // auth.test sits on the acknowledgement path: no SDK retries, short timeout (Slack retries us).
  const identity = createBotIdentityResolver(
    createSlackWebApi({
      token: slack.botToken,
      apiUrl: slack.apiUrl,
      logger: log,
      retries: 0,
      timeoutMs: 2000,
      agent,
    }),
  );
  const replyApi: SlackApi = createSlackWebApi({
    token: slack.botToken,
    apiUrl: slack.apiUrl,
    logger: log,
    agent,
  });
  const replies = createReplyTracker(log);
  const deps: SlackIngressDependencies = {
    ledger: options.store.requests,
    slackState: options.store.slack,
    queue: options.queue,
    api: replyApi,
    replies,
    policy:
      options.policy ??
      (options.policyFile === undefined ? undefined : filePolicySource(options.policyFile, { logger: log })),
    logger: log,
    githubHosts: options.githubHosts,
  };

  const router = Router();
  const socketReceiver =
    slack.appToken === undefined
      ? undefined
      : new DeferredAckSocketModeReceiver({
          appToken: slack.appToken,
          apiUrl: slack.apiUrl,
          logger: log,
          agent,
        });
  const receiver = socketReceiver ?? httpReceiver(options, router, log);
  const app = new App({
    receiver,
    logger: toBoltLogger(log),
    convoStore: false,
    clientOptions: { slackApiUrl: slack.apiUrl, ...(agent === undefined ? {} : { agent }) },
    authorize: async () => {
      // A new Error, not the LoomError itself: Bolt overwrites the `code` of what authorize throws.
      const bot = await identity.get().catch((error: unknown) => {
        throw new Error('Slack auth.test failed', { cause: error });
      });
      return { botToken: slack.botToken, botId: bot.botId, botUserId: bot.userId, teamId: bot.teamId };
    },
  });
  // Errors go back to the receiver, which answers 5xx (HTTP) or withholds the ack (Socket Mode).
  app.error(async (error) => {
    throw error;
  });
  const onEvent = async ({ body, context }: { body: unknown; context: { retryNum?: number } }) => {
    const message = parseSlackMessage(body);
    if (message === undefined) return;
    const outcome = await handleSlackMessage(deps, message, await identity.get());
    log.info({ eventId: message.eventId, retryNum: context.retryNum, ...outcome }, 'Slack event handled');
  };
  app.event('app_mention', onEvent);
  app.event('message', onEvent);

  return {
    mode: socketReceiver === undefined ? 'http' : 'socket',
    routes: socketReceiver === undefined ? [{ path: '/slack', router }] : [],
    start: async () => {
      await socketReceiver?.start();
    },
    stop: async () => {
      await socketReceiver?.stop();
      await replies.settle();
      agent?.destroy();
    },
    settle: () => replies.settle(),
  };
}

/** Bolt's Express receiver at `/slack/events`, with our verification in front of it. */
function httpReceiver(options: CreateSlackAppOptions, router: Router, log: Logger): ExpressReceiver {
  const signingSecret = options.slack.signingSecret;
  if (signingSecret === undefined) {
    throw new LoomError('config_invalid', 'SLACK_SIGNING_SECRET is required unless SLACK_APP_TOKEN is set');
  }
  router.post('/events', ...verifySlackRequest({ signingSecret, logger: log, now: options.now }));
  return new ExpressReceiver({
    signingSecret,
    // Verified above, more strictly than Bolt does (future timestamps, duplicated headers).
    signatureVerification: false,
    // The 200 goes out after the listener enqueued the job; a failure becomes a 5xx instead.
    processBeforeResponse: true,
    endpoints: '/events',
    router,
    logger: toBoltLogger(log),
    processEventErrorHandler: async ({ error, response }) => {
      if (response.headersSent) return false;
      const answer = slackErrorResponse(error);
      log.warn({ err: error, status: answer.httpStatus }, 'Slack event failed; Slack will retry');
      response.writeHead(answer.httpStatus, { 'content-type': 'application/json' });
      response.end(JSON.stringify(answer.toJSON()));
      return true;
    },
  });
}
