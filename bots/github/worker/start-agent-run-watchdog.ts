/**
 * The safety net of "nothing silent" (issue 5 item 5): a run can end without its processor having
 * said so on GitHub, when BullMQ fails it without calling the processor (`maxStartedAttempts` after
 * repeated worker deaths), when a job is cancelled from the queue, or when the final comment itself
 * failed to post. The watchdog looks at finished GitHub runs every so often and posts the missing
 * final comment (idempotent by marker), then marks the run's journal as reported.
 */
import { startPeriodicTask } from '../../../src/scheduling/index.js';
import type { Logger } from '../../../src/logging/index.js';
import type { RunRecord, RunRepository, RunStatus } from '../../../src/store/index.js';
import { ensureComment } from './ensure-comment.js';
import type { GithubWorkerApi } from './github-worker-api.js';
import { renderFinalComment, type FinalStatus } from './render-final-report.js';
import { initialSteps, renderTrackingComment } from './render-tracking-comment.js';
import { parseGithubRunJournal, type GithubRunJournal } from './run-journal.js';

export interface AgentRunWatchdogOptions {
  runs: RunRepository;
  api: GithubWorkerApi;
  logger: Logger;
  /** Time between sweeps (default 60 s). */
  intervalMs?: number;
  /** Runs looked at per status and sweep, newest first (default 200). */
  batchSize?: number;
}

export interface AgentRunWatchdog {
  /** One sweep now; resolves to the number of runs it reported. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

const unreportedStatuses: RunStatus[] = ['failed', 'cancelled', 'over-budget'];

function needsReport(run: RunRecord, journal: GithubRunJournal): boolean {
  return (
    run.jobName === 'agent-run' &&
    journal.origin !== undefined &&
    journal.authorized === true &&
    journal.finalStatus === undefined
  );
}

async function reportRun(
  options: AgentRunWatchdogOptions,
  run: RunRecord,
  journal: GithubRunJournal,
): Promise<void> {
  const origin = journal.origin;
  if (origin === undefined) return;
  const status: FinalStatus =
    run.status === 'cancelled' ? 'cancelled' : run.status === 'over-budget' ? 'over-budget' : 'failed';
  const reason =
    status === 'failed'
      ? `the run stopped without finishing (${run.error ?? 'its worker died too often'}).`
      : (run.error ?? undefined);
  const client = await options.api.forInstallation(origin.installationId);
  const repository = { owner: origin.owner, repo: origin.repo };
  const budgetUsd = origin.budgetUsd ?? 0;
  if (journal.trackingCommentId !== undefined) {
    const body = renderTrackingComment({
      runId: run.id,
      requester: origin.requester ?? 'unknown',
      status: status === 'over-budget' ? 'over-budget' : status,
      steps: { ...initialSteps(), access: 'done' },
      turns: journal.outcome?.turns ?? 0,
      costUsd: journal.spentUsd ?? 0,
      budgetUsd,
      ...(reason === undefined ? {} : { note: reason }),
    });
    await client.updateComment(repository, journal.trackingCommentId, body).catch((error: unknown) => {
      options.logger.warn({ err: error, runId: run.id }, 'could not update the tracking comment');
    });
  }
  const finalCommentId = await ensureComment({
    client,
    repository,
    issueNumber: origin.number,
    kind: 'final',
    runId: run.id,
    body: renderFinalComment({
      runId: run.id,
      status,
      ...(reason === undefined ? {} : { reason }),
      ...(journal.outcome ? { outcome: journal.outcome } : {}),
      budgetUsd,
    }),
  });
  await options.runs.saveProgress(run.id, { ...journal, finalCommentId, finalStatus: status });
  options.logger.info({ runId: run.id, status }, 'watchdog reported a run that ended silently');
}

export function startAgentRunWatchdog(options: AgentRunWatchdogOptions): AgentRunWatchdog {
  async function sweepOnce(): Promise<number> {
    let reported = 0;
    for (const status of unreportedStatuses) {
      const runs = await options.runs.list({ status, limit: options.batchSize ?? 200 });
      for (const run of runs) {
        const journal = parseGithubRunJournal(run.progress);
        if (!needsReport(run, journal)) continue;
        try {
          await reportRun(options, run, journal);
          reported += 1;
        } catch (error) {
          options.logger.warn(
            { err: error, runId: run.id },
            'watchdog could not report a run; will try again',
          );
        }
      }
    }
    return reported;
  }

  const task = startPeriodicTask(sweepOnce, {
    intervalMs: options.intervalMs ?? 60_000,
    logger: options.logger,
    what: 'watchdog sweep',
  });
  return { sweep: task.run, stop: task.stop };
}
