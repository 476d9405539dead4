/**
 * Plans a run that has no issue or PR of its own (a Slack request, a chore): it works on a branch
 * Loom names, from the repository's default branch.
 * - `continue`: a later request of the same conversation continues the branch an earlier run
 *   pushed (found by its prefix), so replies in a Slack thread build on the same branch and PR;
 * - `rebuild`: every run starts again from the default branch and replaces the branch (force push),
 *   so a chore's one PR always shows the latest run's change against the latest base.
 */
import type { GithubRunScope } from './github-run-scope.js';
import { mustResolve, type PlannedWork } from './plan-work.js';

export interface OwnBranchRequest {
  mode: 'continue' | 'rebuild';
  /** The branch a first run creates (`loom/slack-…`, `loom/chore-{name}`). */
  branch: string;
  /** With `continue`: what every branch of this conversation starts with. */
  branchPrefix?: string;
  wipBranch: string;
  title: string;
  /** Where the request lives (a Slack thread link, the dashboard issue), for the PR and prompt. */
  url: string;
  /** The prompt's context lines about the request (already sanitized). */
  describe: string[];
}

export async function planOwnBranch(scope: GithubRunScope, request: OwnBranchRequest): Promise<PlannedWork> {
  const { client, repository, mirror } = scope;
  const token = await client.gitToken();
  const baseBranch = await client.getDefaultBranch(repository);
  await mirror.fetch(token);
  const baseCommit = await mustResolve(scope, `refs/heads/${baseBranch}`);
  const existing =
    request.mode === 'continue' && request.branchPrefix !== undefined
      ? (await mirror.listBranches(request.branchPrefix))[0]
      : undefined;
  const branch = existing?.name ?? request.branch;
  const plan = {
    branch,
    baseBranch,
    baseCommit,
    startCommit: existing?.commit ?? baseCommit,
    pullRequestBranch: false,
    wipBranch: request.wipBranch,
    title: request.title,
    ...(request.mode === 'rebuild' ? { forcePush: true } : {}),
  };
  const context = [
    ...request.describe,
    '',
    `You are on the branch ${branch} (base branch: ${baseBranch}).`,
    'When you finish, Loom commits every change in the workspace and pushes it; do not commit or push yourself.',
  ];
  return { plan, url: request.url, context: context.join('\n') };
}
