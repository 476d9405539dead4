/**
 * The target of a Slack request: it works on `loom/slack-{thread}-{slug}` from the default branch
 * (a later reply in the same thread continues that branch and its PR), its PR links back to the
 * thread, replies while the agent works reach it through the pipeline's conversation inbox (a reply
 * steers, `stop` stops), and the final answer is left to the Slack handler, which posts it.
 */
import type { AgentRunPayload } from '../../queue/index.js';
import {
  planOwnBranch,
  renderRequestPullRequest,
  shortSlug,
  type WorkTarget,
} from '../github/worker/index.js';
import { slackConversationKey } from './slack-conversation-key.js';
import { slackThreadLink } from './slack-thread-link.js';

type SlackOrigin = NonNullable<AgentRunPayload['slack']>;

export interface SlackWorkTargetInput {
  payload: AgentRunPayload;
  origin: SlackOrigin;
}

/** The PR and branch title: the request's first line, without mentions, cut short. */
export function requestTitle(prompt: string): string {
  const line =
    prompt
      .split('\n')
      .map((text) => text.replace(/<[@#!][^>]*>/g, '').trim())
      .find((text) => text !== '') ?? '';
  return line.length > 72 ? `${line.slice(0, 71)}…` : line || 'Slack request';
}

export function createSlackWorkTarget(input: SlackWorkTargetInput): WorkTarget {
  const { payload, origin } = input;
  const threadKey = origin.threadTs.replace('.', '');
  const link = slackThreadLink(origin.channelId, origin.threadTs);
  const title = requestTitle(payload.prompt);
  const lockKey =
    payload.conversationKey ?? slackConversationKey(origin.teamId, origin.channelId, origin.threadTs);
  return {
    lockKey,
    threadSource: {
      kind: 'slack',
      teamId: origin.teamId,
      channelId: origin.channelId,
      threadTs: origin.threadTs,
    },
    subject: `slack:${origin.userId}`,
    plan: (scope) =>
      planOwnBranch(scope, {
        mode: 'continue',
        branch: `loom/slack-${threadKey}-${shortSlug(title)}`,
        branchPrefix: `loom/slack-${threadKey}-`,
        wipBranch: `loom/wip/slack-${threadKey}-${shortSlug(title)}`,
        title,
        url: link,
        describe: [
          `A request made in Slack (${link}) about ${scope.repository.owner}/${scope.repository.repo}.`,
        ],
      }),
    commitText: (plan, done) => ({
      subject: `${done ? '' : 'WIP: '}${plan.title}`,
      reference: `the Slack thread ${link}`,
    }),
    pullRequestText: ({ plan, runId, outcome }) =>
      renderRequestPullRequest({
        title: plan.title,
        opening: `Requested in Slack: ${link}`,
        requestedBy: 'a Slack user in that thread',
        runId,
        outcome,
      }),
    // Replies reach a running task through the conversation inbox, which the pipeline watches.
    watchSteering: () => ({ stop: async () => undefined }),
    // The Slack handler posts the final message when the work returns.
    reportFinal: async () => undefined,
  };
}
