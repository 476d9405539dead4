/**
 * Which GitHub issue or pull request a Slack request continues, if any (issue 6 item 5, "the other
 * way round"): a link to one in the message (`https://host/owner/repo/pull/12`), else one already
 * linked to this Slack thread's conversation (the PR an earlier request of the thread opened, or the
 * issue a previous message linked). Pure over the message and the thread's sources.
 */
import type { GithubSubject } from '../github/worker/index.js';
import type { ThreadSource } from '../../src/threads/index.js';

const linkPattern = /https?:\/\/[^\s/<>|]+\/([\w.-]+)\/([\w.-]+)\/(pull|issues)\/(\d+)/gi;

export function findGithubSubject(input: {
  prompt: string;
  repository: string;
  /** Sources of the thread this Slack conversation is stored in, when there is one. */
  threadSources: readonly ThreadSource[];
}): GithubSubject | undefined {
  const wanted = input.repository.toLowerCase();
  for (const match of input.prompt.matchAll(linkPattern)) {
    const [, owner, repo, kind, number] = match;
    if (`${owner}/${repo}`.toLowerCase() === wanted) {
      return { number: Number(number), isPullRequest: kind?.toLowerCase() === 'pull' };
    }
  }
  const linked = input.threadSources.filter(
    (source): source is Extract<ThreadSource, { kind: 'github' }> =>
      source.kind === 'github' && source.repository.toLowerCase() === wanted,
  );
  // A PR Loom opened wins over the issue it came from: the work continues on the PR's branch.
  const chosen = linked.find((source) => source.type === 'pull_request') ?? linked[0];
  return chosen === undefined
    ? undefined
    : { number: chosen.number, isPullRequest: chosen.type === 'pull_request' };
}
