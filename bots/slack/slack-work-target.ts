/**
 * The target of a Slack request: it works on `loom/slack-{thread}-{slug}` from the default branch
 * (a later reply in the same thread continues that branch and its PR) — or, when the request links
 * a GitHub issue or PR (or the thread already belongs to one), on that issue's or PR's branch and
 * conversation, as a mention there would; its PR links back to the thread, replies while the agent works reach it through the pipeline's conversation inbox (a reply
 * steers, `stop` stops), and the final answer is left to the Slack handler, which posts it.
 */
import type { AgentRunPayload } from '../../queue/index.js';
import { isLoomError } from '../../src/errors/index.js';
import { threadSourceKey, type ThreadSource } from '../../src/threads/index.js';
import {
  githubSource,
  planGithubWork,
  planOwnBranch,
  renderRequestPullRequest,
  shortSlug,
  type GithubSubject,
  type WorkTarget,
} from '../github/worker/index.js';
import { findGithubSubject } from './find-github-subject.js';
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
  const slackSource: ThreadSource = {
    kind: 'slack',
    teamId: origin.teamId,
    channelId: origin.channelId,
    threadTs: origin.threadTs,
  };
  // Set by `plan` when the request continues a GitHub issue or PR (a link, or one the thread has).
  let subject: GithubSubject | undefined;
  let repositoryName = payload.repository ?? '';
  const conversationSource = (): ThreadSource => {
    if (subject === undefined) return slackSource;
    const [owner = '', repo = ''] = repositoryName.split('/');
    return githubSource(owner, repo, subject.number, subject.isPullRequest);
  };
  return {
    lockKey:
      payload.conversationKey ?? slackConversationKey(origin.teamId, origin.channelId, origin.threadTs),
    get threadSource(): ThreadSource {
      return conversationSource();
    },
    subject: `slack:${origin.userId}`,
    async plan(scope) {
      repositoryName = `${scope.repository.owner}/${scope.repository.repo}`;
      const thread = await scope.deps.threads?.findBySource(slackSource);
      subject = findGithubSubject({
        prompt: payload.prompt,
        repository: repositoryName,
        threadSources: thread?.sources ?? [],
      });
      if (subject !== undefined) return planGithubWork(scope, subject);
      return planOwnBranch(scope, {
        mode: 'continue',
        branch: `loom/slack-${threadKey}-${shortSlug(title)}`,
        branchPrefix: `loom/slack-${threadKey}-`,
        wipBranch: `loom/wip/slack-${threadKey}-${shortSlug(title)}`,
        title,
        url: link,
        describe: [`A request made in Slack (${link}) about ${repositoryName}.`],
      });
    },
    commitText: (plan, done) => ({
      subject: `${done ? '' : 'WIP: '}${plan.title}${subject === undefined ? '' : ` (#${subject.number})`}`,
      reference: `the Slack thread ${link}`,
    }),
    pullRequestText: ({ plan, runId, outcome }) =>
      renderRequestPullRequest({
        title: plan.title,
        opening:
          subject === undefined
            ? `Requested in Slack: ${link}`
            : `${subject.isPullRequest ? 'Follow-up to' : 'Closes'} #${subject.number}\n\nRequested in Slack: ${link}`,
        requestedBy: 'a Slack user in that thread',
        runId,
        outcome,
      }),
    // Replies reach a running task through the conversation inbox, which the pipeline watches.
    watchSteering: () => ({ stop: async () => undefined }),
    // The Slack handler posts the final message; here the Slack thread joins the conversation it
    // worked in, so later replies in it continue there.
    async reportFinal(scope) {
      const threads = scope.deps.threads;
      if (threads === undefined || subject === undefined) return;
      const thread = await threads.findBySource(conversationSource());
      if (thread === undefined || thread.sources.some((source) => sameSource(source, slackSource))) return;
      await threads.linkSource(thread.id, slackSource).catch((error: unknown) => {
        // The Slack thread already has a conversation of its own: it keeps it.
        if (!isLoomError(error, 'conflict')) throw error;
      });
    },
  };
}

function sameSource(a: ThreadSource, b: ThreadSource): boolean {
  return threadSourceKey(a) === threadSourceKey(b);
}
