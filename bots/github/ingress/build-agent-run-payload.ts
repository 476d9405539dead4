/** The `agent-run` job a GitHub trigger becomes (contract: queue/job-contracts.ts). Pure. */
import type { JobPayloadInput } from '../../../queue/index.js';
import type { TriggerText } from './parse-trigger-text.js';
import type { TriggerCandidate } from './trigger-candidate.js';

/** The contract's prompt limit; GitHub's own limit (65,536 characters) is well below it. */
const maxPromptLength = 100_000;

/** `github:{owner}/{repo}#{number}`: issues and pull requests share one number space. */
export function githubConversationKey(owner: string, repo: string, number: number): string {
  return `github:${owner}/${repo}#${number}`;
}

export type GithubAgentRunPayload = Omit<JobPayloadInput<'agent-run'>, 'deliveryId'>;

/** Requires a screened candidate (with an installation); see `decideTrigger`. */
export function buildAgentRunPayload(
  candidate: TriggerCandidate & { installationId: number },
  request: TriggerText,
  appSlug: string,
): GithubAgentRunPayload {
  return {
    version: 1,
    source: 'github',
    command: request.command,
    // Never empty: the mention itself is part of the prompt.
    prompt: request.prompt.slice(0, maxPromptLength),
    repository: `${candidate.owner}/${candidate.repo}`,
    requester: { source: 'github', id: String(candidate.author.id), login: candidate.author.login },
    conversationKey: githubConversationKey(candidate.owner, candidate.repo, candidate.number),
    ...(request.budgetUsd === undefined ? {} : { budgetUsd: request.budgetUsd }),
    github: {
      installationId: candidate.installationId,
      owner: candidate.owner,
      repo: candidate.repo,
      number: candidate.number,
      isPullRequest: candidate.isPullRequest,
      trigger: candidate.trigger,
      ...(candidate.commentId === undefined ? {} : { commentId: candidate.commentId }),
      triggeredAt: candidate.createdAt,
      sender: { login: candidate.sender.login, id: candidate.sender.id },
      appSlug,
    },
  };
}
