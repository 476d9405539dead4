/**
 * The end of every accepted request (RELIABILITY "nothing silent"): the progress view shows the
 * final state, the surface's target tells the requester what happened (a final comment, a Slack
 * message, the chore dashboard), and the journal remembers that it did, so a duplicated attempt
 * ends as this one ended instead of reporting twice.
 */
import type { GithubRunScope } from './github-run-scope.js';
import type { FinalReport, FinalStatus } from './render-final-report.js';
import type { TrackingStatus } from './render-tracking-comment.js';

function trackingStatusOf(status: FinalStatus): TrackingStatus {
  return status === 'answered' ? 'done' : status;
}

export async function reportFinal(
  scope: GithubRunScope,
  report: Omit<FinalReport, 'runId' | 'budgetUsd'>,
): Promise<void> {
  const { journal, reporter } = scope;
  const full: FinalReport = { ...report, runId: scope.runId, budgetUsd: scope.budgetUsd };
  const note =
    report.status === 'done' || report.status === 'answered' ? undefined : (report.reason ?? undefined);
  await reporter.finish(trackingStatusOf(report.status), note);
  await scope.target.reportFinal(scope, full);
  await journal.update({ finalStatus: report.status });
}
