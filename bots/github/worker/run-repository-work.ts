/**
 * Runs the work of a request that names a repository rather than an issue or PR (a Slack request, a
 * chore): finds the app's installation on the repository, then drives the same pipeline as a
 * GitHub mention (mirror, agent in a weaver, push, one PR) with the surface's own target and
 * progress view. Journaled like a GitHub run, so a retried attempt continues where it stopped.
 */
import type { AgentRunPayload } from '../../../queue/job-contracts.js';
import type { JobContext } from '../../../queue/job-processor.js';
import { isLoomError, LoomError } from '../../../src/errors/index.js';
import { createRepositoryMirror } from '../../../src/git/index.js';
import type { TrackingReporter } from './create-tracking-reporter.js';
import type { GithubRunScope } from './github-run-scope.js';
import type { GithubWorkerDeps } from './github-worker-deps.js';
import type { RepositoryName } from './github-worker-api.js';
import { createRunJournal, type RunJournal } from './run-journal.js';
import type { FinalStatus } from './render-final-report.js';
import { runWorkPhases, type WorkEnding } from './run-work-phases.js';
import type { WorkTarget } from './work-target.js';

export interface RepositoryWorkInput {
  payload: AgentRunPayload;
  context: JobContext;
  deps: GithubWorkerDeps;
  /** Builds the surface's target once the app's slug is known. */
  target(appSlug: string): WorkTarget;
  reporter: TrackingReporter;
}

export interface RepositoryWork {
  ending: WorkEnding;
  journal: RunJournal;
}

export function parseRepositoryName(fullName: string | undefined): RepositoryName {
  const [owner, repo, ...rest] = (fullName ?? '').split('/');
  if (owner === undefined || owner === '' || repo === undefined || repo === '' || rest.length > 0) {
    throw new LoomError('invalid_input', `the request names no repository (owner/name): ${fullName ?? ''}`);
  }
  return { owner, repo };
}

export async function runRepositoryWork(input: RepositoryWorkInput): Promise<RepositoryWork> {
  const { payload, context, deps } = input;
  const repository = parseRepositoryName(payload.repository);
  const installation = await deps.api.findInstallation(repository).catch((error: unknown) => {
    if (!isLoomError(error, 'not_found')) throw error;
    throw new LoomError(
      'not_found',
      `the Loom GitHub App is not installed on ${repository.owner}/${repository.repo}; install it there first`,
      { retryable: false, cause: error },
    );
  });
  const journal = createRunJournal(context);
  const ended = endedEarlier(journal);
  if (ended !== undefined) return { ending: ended, journal };
  const budgetUsd = payload.budgetUsd ?? deps.defaultBudgetUsd;
  const client = await deps.api.forInstallation(installation.installationId);
  const scope: GithubRunScope = {
    deps,
    payload,
    target: input.target(installation.appSlug),
    context,
    runId: context.runId,
    logger: context.logger,
    client,
    repository,
    appSlug: installation.appSlug,
    journal,
    reporter: input.reporter,
    mirror: createRepositoryMirror({
      rootDir: deps.mirrorsDir,
      gitUrl: deps.gitUrl,
      owner: repository.owner,
      repo: repository.repo,
      logger: context.logger,
      outboundProxy: deps.outboundProxy,
    }),
    budgetUsd,
  };
  return { ending: await runWorkPhases(scope), journal };
}

/**
 * A duplicate execution of a run that already reported (RELIABILITY 27: the worker died between
 * the report and the job's completion): it ends as the first one ended, without working again.
 */
function endedEarlier(journal: RunJournal): WorkEnding | undefined {
  const { finalStatus, outcome, pushed, pullRequest } = journal.state;
  if (finalStatus === undefined || outcome === undefined) return undefined;
  return {
    published: {
      status: finalStatus as FinalStatus,
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      ...(pushed === undefined ? {} : { branch: pushed.branch }),
      wip: pushed?.wip ?? false,
      ...(pullRequest === undefined
        ? {}
        : {
            pullRequest: {
              number: pullRequest.number,
              url: pullRequest.url,
              created: pullRequest.created ?? false,
            },
          }),
    },
    limit: outcome.limit,
    outcome,
  };
}
