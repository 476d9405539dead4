/**
 * The work of a Slack request in the worker: the same pipeline as a GitHub mention (mirror, agent in
 * a weaver, push, one draft PR) on the repository the request named, found through the app's
 * installation on it, with progress going to the thread's status message. Plugs into the Slack
 * handler as its `runTask`, and `stop` / `status` / steering as its commands.
 */
import type { AgentRunPayload, JobContext } from '../../queue/index.js';
import { LoomError } from '../../src/errors/index.js';
import { runRepositoryWork, type ConversationInbox, type GithubWorkerDeps } from '../github/worker/index.js';
import type { SlackCommandRunner, SlackTaskRunner } from './create-slack-agent-run-handler.js';
import type { RunOutcome } from './run-reporter.js';
import { slackConversationKey } from './slack-conversation-key.js';
import { createSlackWorkTarget } from './slack-work-target.js';
import { trackRunReporter } from './track-run-reporter.js';

export interface SlackWorkDeps {
  /** The pipeline's dependencies; their `inbox` carries steering, `stop` and `status`. */
  github: GithubWorkerDeps;
}

function originOf(payload: AgentRunPayload): NonNullable<AgentRunPayload['slack']> {
  if (payload.slack === undefined)
    throw new LoomError('invalid_input', 'a Slack agent-run needs its slack origin');
  return payload.slack;
}

function conversationOf(payload: AgentRunPayload): string {
  const origin = originOf(payload);
  return payload.conversationKey ?? slackConversationKey(origin.teamId, origin.channelId, origin.threadTs);
}

export function createSlackTaskRunner(deps: SlackWorkDeps): SlackTaskRunner {
  return async (payload, context, reporter): Promise<RunOutcome> => {
    const origin = originOf(payload);
    const budgetUsd = payload.budgetUsd ?? deps.github.defaultBudgetUsd;
    const tracking = trackRunReporter(reporter, {
      runId: context.runId,
      requester: origin.userId,
      budgetUsd,
      costOffsetUsd: 0,
    });
    const { ending } = await runRepositoryWork({
      payload,
      context,
      deps: deps.github,
      target: () => createSlackWorkTarget({ payload, origin }),
      reporter: tracking,
    });
    const { published, outcome } = ending;
    return {
      status: published.status,
      answer: outcome.answer,
      ...(published.pullRequest ? { pullRequestUrl: published.pullRequest.url } : {}),
      ...(published.branch && published.wip ? { branch: published.branch } : {}),
      ...(published.reason === undefined ? {} : { reason: published.reason }),
    };
  };
}

/** `stop` and `status` for the thread's running task, through the conversation inbox. */
export function createSlackCommandRunner(inbox: ConversationInbox): SlackCommandRunner {
  return async (payload: AgentRunPayload, _context: JobContext): Promise<string> => {
    const origin = originOf(payload);
    const key = conversationOf(payload);
    if (payload.command === 'status') {
      return (await inbox.status(key)) ?? 'No task is running in this thread.';
    }
    const delivered = await inbox.deliver(key, {
      kind: 'stop',
      from: `<@${origin.userId}>`,
      text: '',
      id: origin.messageTs,
    });
    return delivered === 'taken'
      ? ':black_square_for_stop: Stopping the running task; its partial work will be pushed.'
      : 'No task is running in this thread.';
  };
}

/**
 * A reply while a task runs in the thread steers it instead of starting another one; true when the
 * running task took it.
 */
export function createSlackSteering(
  inbox: ConversationInbox,
): (payload: AgentRunPayload, context: JobContext) => Promise<boolean> {
  return async (payload) => {
    const origin = originOf(payload);
    if (origin.messageTs === origin.threadTs) return false;
    const delivered = await inbox.deliver(conversationOf(payload), {
      kind: 'steer',
      from: `<@${origin.userId}>`,
      text: payload.prompt,
      id: origin.messageTs,
    });
    return delivered === 'taken';
  };
}
