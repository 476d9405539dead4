/**
 * The work of a chore run (issue 7 item 3): the chore's prompt on a fresh branch from the default
 * branch, pushed over `loom/chore-{name}` (force: the branch is Loom's and always shows the latest
 * run against the latest base), one PR per chore that later runs update instead of opening another,
 * and nothing opened when the run changed nothing. The chore handler keeps the run's record, the
 * dashboard issue and the Slack message; this only does the work and says how it ended.
 */
import { LoomError } from '../../../src/errors/index.js';
import type { ChoreWorkEnding, ChoreWorkRunner } from './chore-work.js';
import type { TrackingReporter } from './create-tracking-reporter.js';
import type { GithubWorkerDeps } from './github-worker-deps.js';
import { planOwnBranch } from './plan-own-branch.js';
import { renderRequestPullRequest } from './render-final-report.js';
import { initialSteps, type TrackingView } from './render-tracking-comment.js';
import { runRepositoryWork } from './run-repository-work.js';
import type { WorkTarget } from './work-target.js';

type ChoreOrigin = NonNullable<Parameters<ChoreWorkRunner>[0]['chore']>;

export const choreBranchName = (name: string): string => `loom/chore-${name}`;

export function createChoreWorkTarget(chore: ChoreOrigin): WorkTarget {
  const repository = `${chore.owner}/${chore.repo}`;
  return {
    lockKey: `chore:${repository}:${chore.name}`.toLowerCase(),
    threadSource: { kind: 'chore', repository, chore: chore.name },
    subject: `chore:${repository}:${chore.name}`,
    freshStart: true,
    plan: (scope) =>
      planOwnBranch(scope, {
        mode: 'rebuild',
        branch: choreBranchName(chore.name),
        wipBranch: `loom/wip/chore-${chore.name}`,
        title: `Loom chore: ${chore.name}`,
        url: `${repository} .loom/chores.yml`,
        describe: [
          `A scheduled chore named "${chore.name}" of ${repository}, declared in .loom/chores.yml on the default branch.`,
          'Nobody is watching this run live: do the chore, verify it (run the tests), and leave the workspace unchanged if there is nothing to do.',
        ],
      }),
    commitText: (plan, done) => ({
      subject: `${done ? '' : 'WIP: '}${plan.title}`,
      reference: `the chore "${chore.name}" of .loom/chores.yml`,
    }),
    pullRequestText: ({ plan, runId, outcome }) => ({
      ...renderRequestPullRequest({
        title: plan.title,
        opening: `Chore \`${chore.name}\` from \`.loom/chores.yml\`. Loom updates this pull request on each run of the chore instead of opening another.`,
        requestedBy: `the chore schedule (${chore.trigger})`,
        runId,
        outcome,
      }),
      labels: chore.labels,
      reviewers: chore.reviewers,
    }),
    // A chore has no conversation to steer from; `loom chores` has no stop command.
    watchSteering: () => ({ stop: async () => undefined }),
    // The chore handler reports (dashboard issue, Slack message).
    reportFinal: async () => undefined,
  };
}

/** A progress view nobody sees live: chores report when they end. */
function silentReporter(view: TrackingView): TrackingReporter {
  return {
    view,
    step: (key, state) => {
      view.steps[key] = state;
    },
    set: (patch) => {
      Object.assign(view, patch);
    },
    onAgentEvent: (event) => {
      if (event.type === 'usage_updated') {
        view.turns = event.turns;
        view.costUsd = event.usage.cost_usd;
      }
    },
    finish: async (status) => {
      view.status = status;
    },
    flush: async () => undefined,
  };
}

export function createChoreWorkRunner(deps: GithubWorkerDeps): ChoreWorkRunner {
  return async (payload, context): Promise<ChoreWorkEnding> => {
    const chore = payload.chore;
    if (chore === undefined) throw new LoomError('invalid_input', 'a chore run needs its chore origin');
    const work = await runRepositoryWork({
      payload: { ...payload, repository: payload.repository ?? `${chore.owner}/${chore.repo}` },
      context,
      deps,
      target: () => createChoreWorkTarget(chore),
      reporter: silentReporter({
        runId: context.runId,
        requester: `chore ${chore.name}`,
        status: 'working',
        steps: initialSteps(),
        turns: 0,
        costUsd: 0,
        budgetUsd: payload.budgetUsd ?? deps.defaultBudgetUsd,
      }),
    });
    const { published, outcome } = work.ending;
    return {
      status: published.status,
      ...(published.reason === undefined ? {} : { reason: published.reason }),
      answer: outcome.answer,
      ...(published.pullRequest === undefined ? {} : { pullRequest: published.pullRequest }),
      ...(published.branch === undefined ? {} : { branch: published.branch }),
      costUsd: outcome.costUsd,
      turns: outcome.turns,
    };
  };
}
