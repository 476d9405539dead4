/**
 * Publishes what a run produced (issue 5 items 3-5): pushes its commit to the work branch (or the
 * PR's own branch), or, for a run that stopped early, to a WIP branch; finds or creates the draft PR
 * (never a second one: it is looked up by head branch first, so a retry or a later mention updates
 * it); and adds a check run listing the commands the agent ran. Each step is journaled.
 */
import { isLoomError } from '../../../src/errors/index.js';
import type { GithubRunScope } from './github-run-scope.js';
import type { PlannedWork } from './plan-work.js';
import { renderCheckRun, type FinalStatus } from './render-final-report.js';
import type { AgentOutcome } from './run-journal.js';
import type { PullRequestDraft } from './work-target.js';

export interface PublishedWork {
  status: FinalStatus;
  reason?: string;
  branch?: string;
  wip: boolean;
  pullRequest?: { number: number; url: string; created: boolean };
}

async function pushCommit(
  scope: GithubRunScope,
  planned: PlannedWork,
  outcome: AgentOutcome,
  commit: string,
): Promise<{ branch: string; wip: boolean; conflict: boolean }> {
  const { journal, mirror, client } = scope;
  const pushed = journal.state.pushed;
  if (pushed?.commit === commit) return { branch: pushed.branch, wip: pushed.wip, conflict: false };
  const token = await client.gitToken();
  const wip = outcome.status !== 'done';
  let branch = wip ? planned.plan.wipBranch : planned.plan.branch;
  let conflict = false;
  try {
    await mirror.push(token, { commit, branch, force: wip || planned.plan.forcePush === true });
  } catch (error) {
    // Someone pushed to the branch while Loom worked: keep the work, on a WIP branch.
    if (wip || !isLoomError(error, 'conflict')) throw error;
    branch = planned.plan.wipBranch;
    conflict = true;
    await mirror.push(token, { commit, branch, force: true });
  }
  await journal.update({ pushed: { branch, commit, wip: wip || conflict } });
  return { branch, wip: wip || conflict, conflict };
}

async function ensurePullRequest(
  scope: GithubRunScope,
  planned: PlannedWork,
  outcome: AgentOutcome,
): Promise<{ number: number; url: string; created: boolean }> {
  const { journal, client, repository } = scope;
  const { plan } = planned;
  if (plan.pullRequestBranch) {
    return { number: plan.pullRequestNumber ?? 0, url: planned.url, created: false };
  }
  const text = scope.target.pullRequestText({ plan, runId: scope.runId, outcome });
  const journaled = journal.state.pullRequest;
  const known = journaled ?? (await client.findOpenPullRequest(repository, plan.branch));
  if (known !== undefined) {
    await client.updatePullRequest(repository, known.number, { body: text.body });
    // Created by an earlier attempt of this run, or found: opened by an earlier run.
    const created = journaled?.created === true;
    if (journaled === undefined)
      await journal.update({ pullRequest: { number: known.number, url: known.url, created } });
    return { number: known.number, url: known.url, created };
  }
  const created = await client.createPullRequest(repository, {
    title: text.title,
    body: text.body,
    head: plan.branch,
    base: plan.baseBranch,
    draft: true,
  });
  await journal.update({ pullRequest: { ...created, created: true } });
  await decoratePullRequest(scope, created.number, text);
  return { ...created, created: true };
}

/** Labels and reviewers a chore asks for; a PR without them is still a PR, so failures only warn. */
async function decoratePullRequest(
  scope: GithubRunScope,
  number: number,
  text: PullRequestDraft,
): Promise<void> {
  const { client, repository, logger } = scope;
  if (text.labels !== undefined && text.labels.length > 0) {
    await client
      .addLabels(repository, number, text.labels)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not label the pull request'));
  }
  if (text.reviewers !== undefined && text.reviewers.length > 0) {
    await client
      .requestReviewers(repository, number, text.reviewers)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not request reviewers'));
  }
}

async function addCheckRun(
  scope: GithubRunScope,
  commit: string,
  status: FinalStatus,
  outcome: AgentOutcome,
) {
  if (scope.journal.state.checkRunId !== undefined) return;
  const check = renderCheckRun({ status, outcome });
  try {
    const { id } = await scope.client.createCheckRun(scope.repository, {
      name: 'Loom',
      headSha: commit,
      conclusion: check.conclusion,
      title: check.title,
      summary: check.summary,
      externalId: scope.runId,
    });
    await scope.journal.update({ checkRunId: id });
  } catch (error) {
    // The app may lack the checks permission; the final comment still reports the run.
    scope.logger.warn({ err: error }, 'could not create the check run');
  }
}

export async function publishWork(
  scope: GithubRunScope,
  planned: PlannedWork,
  outcome: AgentOutcome,
  commit: string | undefined,
): Promise<PublishedWork> {
  const { reporter, mirror } = scope;
  const { plan } = planned;
  let status: FinalStatus = outcome.status;
  let reason = outcome.reason;
  let branch: string | undefined;
  let wip = false;
  if (commit !== undefined) {
    reporter.step('push', 'running');
    const pushed = await pushCommit(scope, planned, outcome, commit);
    ({ branch, wip } = pushed);
    if (pushed.conflict) {
      status = 'failed';
      reason = `The branch ${plan.branch} changed while Loom worked, so the work was not pushed there.`;
    }
    reporter.set({ branch });
    reporter.step('push', 'done');
  } else {
    reporter.step('push', 'skipped');
  }
  if (status !== 'done') {
    reporter.step('pull_request', 'skipped');
    return { status, ...(reason === undefined ? {} : { reason }), ...(branch ? { branch } : {}), wip };
  }
  // A branch ahead of its base without a PR: an earlier attempt pushed and died before opening it.
  const unpublished =
    commit === undefined &&
    !plan.pullRequestBranch &&
    (await mirror.countCommits(plan.baseCommit, plan.startCommit)) > 0 &&
    scope.journal.state.pullRequest === undefined &&
    (await scope.client.findOpenPullRequest(scope.repository, plan.branch)) === undefined;
  if (commit === undefined && !unpublished) {
    reporter.step('pull_request', 'skipped');
    return { status: 'answered', wip: false };
  }
  reporter.step('pull_request', 'running');
  const pullRequest = await ensurePullRequest(scope, planned, outcome);
  reporter.set({ pullRequestUrl: pullRequest.url });
  reporter.step('pull_request', 'done');
  await addCheckRun(scope, commit ?? plan.startCommit, status, outcome);
  return { status, branch: branch ?? plan.branch, wip: false, pullRequest };
}
