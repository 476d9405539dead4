/**
 * The `agent-run` handler of chore runs (`source: 'chore'`): bookkeeping around the work itself.
 * It records the run (start, end, status, PR, cost), keeps the repository's "Loom chores" issue
 * current, and tells `slack_channel` when the run ends. The work (fetch → agent → push
 * `loom/chore-{name}` → one reused PR) is the injected `runWork`.
 *
 * Failures follow RELIABILITY 32 through the job handler: a retryable error with attempts left is
 * rethrown untouched (BullMQ retries with backoff; the record stays `running`); a permanent one
 * (non-retryable LoomError, `UnrecoverableError`, or the last attempt) is recorded as the run's
 * final result and shown on the dashboard before it is rethrown, so the job fails once and the user
 * is told. Reporting (dashboard, Slack) is best effort: a run whose work is done never repeats it
 * because GitHub or Slack did not answer.
 */
import { isLoomError, LoomError } from '../../../src/errors/index.js';
import type { Logger } from '../../../src/logging/index.js';
import type { ChoreRunRecord, FinishChoreRunInput, Store } from '../../../src/store/index.js';
import { decideJobFailure } from '../../../queue/decide-job-failure.js';
import { defaultJobPolicy } from '../../../queue/job-options.js';
import type { AgentRunPayload } from '../../../queue/job-contracts.js';
import type { JobContext, JobResult } from '../../../queue/job-processor.js';
import type { ChoreWorkEnding, ChoreWorkRunner } from '../worker/chore-work.js';
import type { ChoresGithubApi } from './chores-github-api.js';
import { renderChoreSlackMessage } from './render-chore-slack-message.js';
import { updateChoresDashboard } from './update-chores-dashboard.js';

/** Posts one Slack message (e.g. `SlackApi.postMessage`); injected so Slack stays optional. */
export type ChoreSlackNotifier = (message: { channel: string; text: string }) => Promise<void>;

export interface ChoreAgentRunHandlerDeps {
  runWork: ChoreWorkRunner;
  store: Pick<Store, 'chores'>;
  github: ChoresGithubApi;
  /** Absent when Slack is off: `slack_channel` is then ignored with a log line. */
  notifySlack?: ChoreSlackNotifier;
  /** Attempts of an `agent-run` job in total (the job policy's), to know the last one. */
  maxAttempts?: number;
  now?: () => Date;
}

export type ChoreAgentRunHandler = (payload: AgentRunPayload, context: JobContext) => Promise<JobResult>;

export function createChoreAgentRunHandler(deps: ChoreAgentRunHandlerDeps): ChoreAgentRunHandler {
  return async (payload, context) => {
    const chore = payload.chore;
    if (chore === undefined || payload.source !== 'chore') {
      throw new LoomError('invalid_input', 'a chore run needs `source: chore` and the `chore` origin');
    }
    const repository = `${chore.owner}/${chore.repo}`;
    const logger = context.logger.child({ repository, chore: chore.name });
    await deps.store.chores.recordRun({
      runId: context.runId,
      jobId: context.jobId,
      repository,
      choreName: chore.name,
      trigger: chore.trigger,
      status: 'running',
    });
    let ending: ChoreWorkEnding;
    try {
      ending = await deps.runWork(payload, context);
    } catch (error) {
      const final = finalFailure(error, context, deps.maxAttempts ?? defaultJobPolicy.attempts);
      if (final !== undefined) {
        const run = await deps.store.chores.finishRun(context.runId, { ...final, costUsd: 0, turns: 0 });
        await report(deps, run, chore, logger);
      }
      throw error;
    }
    const run = await deps.store.chores.finishRun(context.runId, outcomeOf(ending));
    await report(deps, run, chore, logger);
    return {
      status: ending.status,
      costUsd: ending.costUsd,
      turns: ending.turns,
      ...(ending.reason === undefined ? {} : { reason: ending.reason }),
      ...(ending.pullRequest === undefined ? {} : { pullRequest: ending.pullRequest }),
      ...(ending.branch === undefined ? {} : { branch: ending.branch }),
    };
  };
}

function outcomeOf(ending: ChoreWorkEnding): FinishChoreRunInput {
  return {
    status: ending.status,
    ...(ending.reason === undefined ? {} : { reason: ending.reason.slice(0, 500) }),
    ...(ending.pullRequest === undefined
      ? {}
      : { pullRequest: { number: ending.pullRequest.number, url: ending.pullRequest.url } }),
    costUsd: ending.costUsd,
    turns: ending.turns,
  };
}

/** The run's final record when this failure ends the job, undefined when it will be retried. */
function finalFailure(
  error: unknown,
  context: JobContext,
  attempts: number,
): Pick<FinishChoreRunInput, 'status' | 'reason'> | undefined {
  const cancelled = isLoomError(error, 'cancelled');
  // An aborted signal without a cancellation is a worker shutdown: the job goes back to the queue.
  if (context.signal.aborted && !cancelled) return undefined;
  const decision = decideJobFailure({
    error,
    shuttingDown: false,
    cancelled,
    failedAttempts: context.failedAttempts,
    attempts,
  });
  if (decision.action !== 'fail') return undefined;
  const message = error instanceof Error ? error.message : String(error);
  return { status: decision.runStatus, reason: message.split('\n')[0]?.slice(0, 500) ?? 'failed' };
}

async function report(
  deps: ChoreAgentRunHandlerDeps,
  run: ChoreRunRecord,
  chore: NonNullable<AgentRunPayload['chore']>,
  logger: Logger,
): Promise<void> {
  try {
    const client = await deps.github.forInstallation(chore.installationId);
    await updateChoresDashboard({
      client,
      store: deps.store,
      repository: run.repository,
      ...(deps.now === undefined ? {} : { now: deps.now() }),
    });
  } catch (error) {
    logger.warn({ err: error }, 'could not update the chores dashboard; the next run will');
  }
  if (chore.slackChannel === undefined) return;
  if (deps.notifySlack === undefined) {
    logger.info({ slackChannel: chore.slackChannel }, 'chore names a Slack channel but Slack is off');
    return;
  }
  try {
    await deps.notifySlack({ channel: chore.slackChannel, text: renderChoreSlackMessage(run) });
  } catch (error) {
    logger.warn({ err: error, slackChannel: chore.slackChannel }, 'could not tell Slack about the chore run');
  }
}
