/**
 * Decides where a run works (issue 5 items 3-4), after fetching the mirror:
 * - an issue: the branch a previous run of this issue pushed (`loom/{n}-*`), else a new
 *   `loom/{n}-{slug}` from the default branch;
 * - a same-repository PR: the PR's own branch, compared with the PR's base;
 * - a PR from a fork: a `loom/{n}-{slug}` branch in the base repository, started from the PR's head
 *   (Loom cannot push to the fork; the fork's code only runs inside the weaver).
 */
import { LoomError } from '../../../src/errors/index.js';
import { wipBranchName, workBranchName, workBranchPrefix } from './branch-names.js';
import type { GithubRunScope } from './github-run-scope.js';

/** The issue or pull request a run works on. */
export interface GithubSubject {
  number: number;
  /** As the request knew it; the issue API has the last word. */
  isPullRequest: boolean;
}
import type { WorkPlan } from './run-journal.js';

export async function mustResolve(scope: GithubRunScope, revision: string): Promise<string> {
  const commit = await scope.mirror.resolve(revision);
  if (commit === undefined) {
    const { owner, repo } = scope.repository;
    throw new LoomError('not_found', `${revision} is not in ${owner}/${repo}`);
  }
  return commit;
}

async function planForPullRequest(
  scope: GithubRunScope,
  origin: GithubSubject,
  token: string,
): Promise<WorkPlan> {
  const { client, repository } = scope;
  const pull = await client.getPullRequest(repository, origin.number);
  const fullName = `${repository.owner}/${repository.repo}`.toLowerCase();
  const sameRepository = pull.head.repositoryFullName?.toLowerCase() === fullName;
  const pullRef = `refs/loom/pull/${origin.number}`;
  await scope.mirror.fetch(token, sameRepository ? [] : [`+refs/pull/${origin.number}/head:${pullRef}`]);
  const baseCommit = await mustResolve(scope, `refs/heads/${pull.base.ref}`);
  const common = {
    baseBranch: pull.base.ref,
    baseCommit,
    wipBranch: wipBranchName(origin.number, pull.title),
    title: pull.title,
  };
  if (sameRepository) {
    const startCommit = await mustResolve(scope, `refs/heads/${pull.head.ref}`);
    return {
      ...common,
      branch: pull.head.ref,
      startCommit,
      pullRequestBranch: true,
      pullRequestNumber: origin.number,
    };
  }
  const existing = (await scope.mirror.listBranches(workBranchPrefix(origin.number)))[0];
  const startCommit = existing?.commit ?? (await mustResolve(scope, pullRef));
  const branch = existing?.name ?? workBranchName(origin.number, pull.title);
  return { ...common, branch, startCommit, pullRequestBranch: false };
}

async function planForIssue(
  scope: GithubRunScope,
  origin: GithubSubject,
  token: string,
  title: string,
): Promise<WorkPlan> {
  const { client, repository } = scope;
  const baseBranch = await client.getDefaultBranch(repository);
  await scope.mirror.fetch(token);
  const baseCommit = await mustResolve(scope, `refs/heads/${baseBranch}`);
  const existing = (await scope.mirror.listBranches(workBranchPrefix(origin.number)))[0];
  return {
    branch: existing?.name ?? workBranchName(origin.number, title),
    baseBranch,
    baseCommit,
    startCommit: existing?.commit ?? baseCommit,
    pullRequestBranch: false,
    wipBranch: wipBranchName(origin.number, title),
    title,
  };
}

export interface PlannedWork {
  plan: WorkPlan;
  /** Web address of the issue or PR the request came from. */
  url: string;
  /** Issue or PR title and body (sanitized) for the prompt's context. */
  context: string;
}

/** Plans a run requested on a GitHub issue or pull request. */
export async function planGithubWork(scope: GithubRunScope, origin: GithubSubject): Promise<PlannedWork> {
  const { client, repository, deps } = scope;
  const token = await client.gitToken();
  const issue = await client.getIssue(repository, origin.number);
  const isPullRequest = origin.isPullRequest || issue.isPullRequest;
  const plan = isPullRequest
    ? await planForPullRequest(scope, origin, token)
    : await planForIssue(scope, origin, token, issue.title);
  const kind = isPullRequest ? 'Pull request' : 'Issue';
  const lines = [
    `${kind} #${origin.number} in ${repository.owner}/${repository.repo}: ${deps.sanitize(issue.title)}`,
    '',
    deps.sanitize(issue.body).trim() || '(no description)',
    '',
    `You are on the branch ${plan.branch} (base branch: ${plan.baseBranch}).`,
    'When you finish, Loom commits every change in the workspace and pushes it; do not commit or push yourself.',
  ];
  return { plan, url: issue.url, context: lines.join('\n') };
}
