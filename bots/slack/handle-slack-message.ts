/**
 * The Slack ingress after verification: decides whether a message is for Loom, what it asks, which
 * repository it is about and whether the asker may; then enqueues one `agent-run` job (deduplicated
 * by `event_id` in the requests ledger) or answers at once. No agent work runs here, and the answers
 * are sent after the acknowledgement (see `ReplyTracker`).
 */
import type { Queue } from 'bullmq';
import { enqueueJob } from '../../queue/index.js';
import type { Logger } from '../../src/logging/index.js';
import {
  defaultSlackPolicy,
  evaluatePolicy,
  evaluateWorkspace,
  staticPolicySource,
  type PolicySource,
} from '../../src/policy/index.js';
import { sanitizeUntrustedText } from '../../src/sanitize/index.js';
import type { RequestLedger, SlackStateRepository, SlackThreadRecord } from '../../src/store/index.js';
import { decideSlackTrigger } from './decide-slack-trigger.js';
import { decodeSlackText } from './decode-slack-text.js';
import { parseSlackRequest } from './parse-slack-request.js';
import type { ReplyTracker } from './reply-tracker.js';
import type { SlackApi, SlackBotIdentity } from './slack-api.js';
import { slackAgentRunPayload, slackLedgerKind, type SlackTask } from './slack-agent-run-payload.js';
import type { SlackMessage } from './slack-message.js';
import { slackReplies } from './slack-replies.js';

export interface SlackIngressDependencies {
  ledger: RequestLedger;
  slackState: SlackStateRepository;
  queue: Queue;
  /** Sends the immediate replies. */
  api: Pick<SlackApi, 'postMessage'>;
  replies: ReplyTracker;
  /** The policy file; `undefined` = the shipped default (members of the installed workspace). */
  policy: PolicySource | undefined;
  logger: Logger;
  /** Hosts whose URLs name repositories (github.com, or the GitHub Enterprise host). */
  githubHosts?: readonly string[];
}

export type SlackIngressOutcome =
  | { action: 'ignored'; reason: string }
  | { action: 'enqueued'; jobId: string; duplicate: boolean }
  | { action: 'replied'; reply: keyof typeof slackReplies; duplicate: boolean };

/** Everything one message needs on its way through the ingress. */
interface Turn {
  deps: SlackIngressDependencies;
  message: SlackMessage;
  identity: SlackBotIdentity;
  policy: PolicySource;
  threadTs: string;
  thread: SlackThreadRecord | undefined;
}

const maxPromptLength = 100_000;

export async function handleSlackMessage(
  deps: SlackIngressDependencies,
  message: SlackMessage,
  identity: SlackBotIdentity,
): Promise<SlackIngressOutcome> {
  const trigger = decideSlackTrigger(message, identity.userId);
  if (!trigger.trigger) return { action: 'ignored', reason: trigger.reason };
  const thread =
    message.threadTs === undefined
      ? undefined
      : await deps.slackState.getThread(message.installedTeamId, message.channelId, message.threadTs);
  if (trigger.needsKnownThread && thread === undefined)
    return { action: 'ignored', reason: 'unknown_thread' };

  const policy = deps.policy ?? staticPolicySource(defaultSlackPolicy(identity.teamId));
  const turn: Turn = { deps, message, identity, policy, threadTs: message.threadTs ?? message.ts, thread };
  // Strangers (a workspace no rule admits) are not answered at all, not even with a refusal.
  if (!(await evaluateWorkspace(policy, message.userTeamId, deps.logger))) {
    return { action: 'ignored', reason: 'workspace_not_admitted' };
  }

  const text = sanitizeUntrustedText(decodeSlackText(message.text, identity.userId));
  const request = parseSlackRequest(text, deps.githubHosts);
  switch (request.command) {
    case 'empty':
      return reply(turn, 'usage', 'refused', slackReplies.usage());
    case 'use':
      return bindChannel(turn, request.repository);
    case 'stop':
    case 'status': {
      const repository = thread?.repository;
      if (repository === undefined) return reply(turn, 'nothingHere', 'refused', slackReplies.nothingHere());
      return runOrRefuse(turn, { command: request.command, prompt: request.command, repository });
    }
    case 'run':
      return routeTask(turn, request.prompt, request.repository?.repository, request.budgetUsd);
  }
}

async function decide(turn: Turn, action: 'run' | 'bind', repository: string) {
  const { message, policy, deps } = turn;
  return evaluatePolicy(
    policy,
    {
      action,
      repository,
      workspaceId: message.userTeamId,
      channelId: message.channelId,
      userId: message.userId ?? '',
    },
    deps.logger,
  );
}

/** Picks the repository: named in the message, else the thread's, else the channel's default. */
async function routeTask(
  turn: Turn,
  text: string,
  named: string | undefined,
  budgetUsd: number | undefined,
): Promise<SlackIngressOutcome> {
  const { deps, message, thread } = turn;
  // A reply to "which repository?" completes the task that was asked first.
  const prompt = (thread?.pendingPrompt === undefined ? text : `${thread.pendingPrompt}\n\n${text}`).slice(
    0,
    maxPromptLength,
  );
  const repository =
    named ??
    thread?.repository ??
    (await deps.slackState.getChannelBinding(message.installedTeamId, message.channelId))?.repository;
  if (repository === undefined) {
    await deps.slackState.rememberThread({ ...threadKey(turn), pendingPrompt: prompt });
    return reply(turn, 'whichRepository', 'refused', slackReplies.whichRepository());
  }
  return runOrRefuse(turn, { command: 'run', prompt, repository, budgetUsd });
}

async function runOrRefuse(turn: Turn, task: SlackTask): Promise<SlackIngressOutcome> {
  const { deps, message } = turn;
  const decision = await decide(turn, 'run', task.repository);
  if (decision.effect === 'deny')
    return reply(turn, 'refused', 'refused', slackReplies.refused(task.repository));

  // Loom becomes part of the thread: its row is written with the ledger row, in one transaction,
  // before the job exists (a follow-up in a thread it already knows writes nothing more). A pending
  // "which repository?" prompt is cleared only once the job exists, so if enqueue fails, Slack's
  // retry still finds it.
  const thread = turn.thread;
  const known = thread?.repository === task.repository && thread.pendingPrompt === undefined;
  const rememberThread = task.command === 'run' && !known;
  const { jobId, duplicate } = await enqueueJob({
    queue: deps.queue,
    ledger: deps.ledger,
    ...(rememberThread
      ? {
          record: (request) =>
            deps.slackState.recordRequestWithThread(request, {
              ...threadKey(turn),
              repository: task.repository,
            }),
        }
      : {}),
    name: 'agent-run',
    payload: slackAgentRunPayload(message, turn.threadTs, task),
    deliveryId: message.eventId,
    source: 'slack',
    kind: slackLedgerKind(message),
    logger: deps.logger,
  });
  if (rememberThread && thread?.pendingPrompt !== undefined) {
    await deps.slackState.rememberThread({ ...threadKey(turn), pendingPrompt: null });
  }
  return { action: 'enqueued', jobId, duplicate };
}

async function bindChannel(turn: Turn, repository: string): Promise<SlackIngressOutcome> {
  const { deps, message } = turn;
  const decision = await decide(turn, 'bind', repository);
  if (decision.effect === 'deny')
    return reply(turn, 'bindRefused', 'refused', slackReplies.bindRefused(repository));
  // Idempotent, so it runs before the ledger decides whether this delivery was seen already.
  await deps.slackState.bindChannel({
    teamId: message.installedTeamId,
    channelId: message.channelId,
    repository,
    setBy: message.userId ?? '',
  });
  return reply(turn, 'bound', 'done', slackReplies.bound(repository));
}

/**
 * Records the delivery (so Slack's retry is a duplicate), then sends `text` in the thread after the
 * acknowledgement. A delivery that cannot be marked is forgotten again, so the retry can do it.
 */
async function reply(
  turn: Turn,
  kind: keyof typeof slackReplies,
  status: 'refused' | 'done',
  text: string,
): Promise<SlackIngressOutcome> {
  const { deps, message } = turn;
  const { created } = await deps.ledger.record({
    deliveryId: message.eventId,
    source: 'slack',
    kind: slackLedgerKind(message),
  });
  if (!created) return { action: 'replied', reply: kind, duplicate: true };
  try {
    await deps.ledger.setStatus(message.eventId, status, { reason: kind });
  } catch (error) {
    await deps.ledger.forgetUnenqueued(message.eventId).catch(() => undefined);
    throw error;
  }
  deps.replies.send(kind, () =>
    deps.api.postMessage({ channel: message.channelId, threadTs: turn.threadTs, text }),
  );
  return { action: 'replied', reply: kind, duplicate: false };
}

function threadKey(turn: Turn) {
  return { teamId: turn.message.installedTeamId, channelId: turn.message.channelId, threadTs: turn.threadTs };
}
