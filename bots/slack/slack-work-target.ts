/**
 * The target of a Slack request: it works on `loom/slack-{thread}-{slug}` from the default branch
 * (a later reply in the same thread continues that branch and its PR), its PR links back to the
 * thread, replies while the agent works reach it through the conversation inbox (a reply steers,
 * `stop` stops), and the final answer is left to the Slack handler, which posts it in the thread.
 */
import type { ConversationInbox } from '../../queue/processors/redis-conversation-inbox.js';
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
  inbox?: ConversationInbox;
  /** How often the inbox is read while the agent works (default 1 s). */
  inboxPollMs?: number;
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
    watchSteering(scope, { steering, onStop }) {
      const inbox = input.inbox;
      if (inbox === undefined) return { stop: async () => undefined };
      const pollMs = input.inboxPollMs ?? 1_000;
      let stopped = false;
      let stopRequested = false;
      const watching = (async () => {
        const open = await inbox.open(lockKey, scope.runId);
        try {
          while (!stopped) {
            for (const message of await open.take()) {
              if (message.kind === 'stop') {
                if (!stopRequested) onStop(message.from);
                stopRequested = true;
              } else {
                const text = scope.deps.sanitize(message.text).trim();
                if (text !== '')
                  steering.push(
                    `${message.from} replied in the Slack thread while you were working:\n\n${text}`,
                  );
              }
            }
            const view = scope.reporter.view;
            await open.setStatus(
              `Working on ${scope.repository.owner}/${scope.repository.repo}: ${view.turns} turns, $${view.costUsd.toFixed(2)} of $${view.budgetUsd.toFixed(2)}${view.activity ? ` · ${view.activity}` : ''}.`,
            );
            await new Promise((resolve) => setTimeout(resolve, pollMs));
          }
          // What arrived during the last sleep still steers nothing: the delivering job takes it
          // back once the inbox is closed and runs it as a task of its own.
        } finally {
          await open.close();
        }
      })().catch((error: unknown) => scope.logger.warn({ err: error }, 'the Slack inbox stopped'));
      return {
        async stop() {
          stopped = true;
          await watching;
        },
      };
    },
    // The Slack handler posts the final message when the work returns.
    reportFinal: async () => undefined,
  };
}
