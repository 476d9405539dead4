/**
 * The target of a request made on a GitHub issue or pull request: it works on the issue's
 * `loom/{n}-{slug}` branch or the PR's own branch, steers from new comments, and answers with a final
 * comment on the issue or PR.
 */
import { githubSource } from './conversation-thread.js';
import { createPermissionCheck } from './create-permission-check.js';
import { ensureComment } from './ensure-comment.js';
import type { GithubOrigin } from './github-run-scope.js';
import { defaultSteeringPollMs } from './github-worker-deps.js';
import { planGithubWork } from './plan-work.js';
import { renderFinalComment, renderPullRequest } from './render-final-report.js';
import { startSteeringPoller } from './start-steering-poller.js';
import type { WorkTarget } from './work-target.js';

export function createGithubWorkTarget(origin: GithubOrigin): WorkTarget {
  const { owner, repo, number, sender } = origin;
  return {
    lockKey: `github:${owner}/${repo}#${number}`.toLowerCase(),
    threadSource: githubSource(owner, repo, number, origin.isPullRequest),
    subject: `github:${origin.sender.login}`,
    plan: (scope) => planGithubWork(scope, origin),
    commitText: (plan, done, emailDomain) => ({
      subject: `${done ? '' : 'WIP: '}${plan.title} (#${number})`,
      reference: `${owner}/${repo}#${number}`,
      coAuthor: { name: sender.login, email: `${sender.id}+${sender.login}@${emailDomain}` },
    }),
    pullRequestText: ({ plan, runId, outcome }) =>
      renderPullRequest({
        issueNumber: number,
        issueTitle: plan.title,
        closesIssue: !origin.isPullRequest,
        requester: origin.sender.login,
        runId,
        outcome,
      }),
    watchSteering: (scope, { steering, onStop }) =>
      startSteeringPoller({
        client: scope.client,
        repository: scope.repository,
        issueNumber: number,
        isPullRequest: origin.isPullRequest,
        appSlug: origin.appSlug,
        since: origin.triggeredAt,
        ignoreCommentIds: origin.commentId === undefined ? [] : [origin.commentId],
        steering,
        mayWrite: createPermissionCheck(scope.client, scope.repository),
        onStop: (login) => onStop(`@${login}`),
        sanitize: scope.deps.sanitize,
        intervalMs: scope.deps.steeringPollMs ?? defaultSteeringPollMs,
        logger: scope.logger,
      }),
    async reportFinal(scope, report) {
      const { journal } = scope;
      const finalCommentId = await ensureComment({
        client: scope.client,
        repository: scope.repository,
        issueNumber: number,
        kind: 'final',
        runId: scope.runId,
        body: renderFinalComment(report),
        ...(journal.state.finalCommentId === undefined ? {} : { knownId: journal.state.finalCommentId }),
      });
      await journal.update({ finalCommentId });
    },
  };
}
