/**
 * The end of every accepted request (RELIABILITY "nothing silent"): the tracking comment shows the
 * final state and one final comment says what happened, linking the PR or the WIP branch. Both are
 * idempotent (journal + marker), so a retried report edits instead of posting again.
 */
import { ensureComment } from './ensure-comment.js';
import type { GithubRunScope } from './github-run-scope.js';
import { renderFinalComment, type FinalReport, type FinalStatus } from './render-final-report.js';
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
  const finalCommentId = await ensureComment({
    client: scope.client,
    repository: scope.repository,
    issueNumber: scope.origin.number,
    kind: 'final',
    runId: scope.runId,
    body: renderFinalComment(full),
    ...(journal.state.finalCommentId === undefined ? {} : { knownId: journal.state.finalCommentId }),
  });
  await journal.update({ finalCommentId, finalStatus: report.status });
}
