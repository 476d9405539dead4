/**
 * The GitHub side of an `agent-run` job, from the request to its final comment (issue 5 items 3-5):
 * access check (anyone without write access gets one polite reply, nothing runs), 👀, one tracking
 * comment, the work (plan → agent in a weaver → publish), and a final report in every case: done,
 * answered, failed with its reason, cancelled or over budget. Every side effect is journaled, so a
 * retried or duplicated attempt continues instead of repeating (RELIABILITY 25, 27).
 */
import type { AgentRunPayload } from '../../../queue/job-contracts.js';
import type { JobContext, JobResult } from '../../../queue/job-processor.js';
import { LoomError, toLoomError, type LoomErrorCode } from '../../../src/errors/index.js';
import { createRepositoryMirror } from '../../../src/git/index.js';
import { commentMarker } from './comment-markers.js';
import { createThrottledEditor } from './create-throttled-editor.js';
import { createTrackingReporter } from './create-tracking-reporter.js';
import { ensureComment } from './ensure-comment.js';
import type { GithubOrigin, GithubRunScope } from './github-run-scope.js';
import { createGithubWorkTarget } from './github-work-target.js';
import { defaultProgressIntervalMs, type GithubWorkerDeps } from './github-worker-deps.js';
import type {
  GithubInstallationClient,
  ReactionContent,
  ReactionTarget,
  RepositoryName,
} from './github-worker-api.js';
import { hasWriteAccess } from './has-write-access.js';
import type { PublishedWork } from './publish-work.js';
import type { FinalStatus } from './render-final-report.js';
import { renderTrackingComment, initialSteps, type TrackingView } from './render-tracking-comment.js';
import { reportFinal } from './report-final.js';
import { createRunJournal, type RunJournal } from './run-journal.js';
import { runWorkPhases } from './run-work-phases.js';

function reactionTarget(origin: GithubOrigin): ReactionTarget {
  if (origin.commentId !== undefined && origin.trigger === 'issue_comment') {
    return { kind: 'issue_comment', commentId: origin.commentId };
  }
  if (origin.commentId !== undefined && origin.trigger === 'pull_request_review_comment') {
    return { kind: 'review_comment', commentId: origin.commentId };
  }
  return { kind: 'issue', number: origin.number };
}

async function react(
  scope: {
    client: GithubInstallationClient;
    repository: RepositoryName;
    origin: GithubOrigin;
    logger: JobContext['logger'];
  },
  content: ReactionContent,
): Promise<void> {
  try {
    await scope.client.addReaction(scope.repository, reactionTarget(scope.origin), content);
  } catch (error) {
    scope.logger.warn({ err: error, content }, 'could not add the reaction');
  }
}

async function refuse(
  client: GithubInstallationClient,
  repository: RepositoryName,
  origin: GithubOrigin,
  runId: string,
  journal: RunJournal,
): Promise<JobResult> {
  const body = [
    commentMarker('refusal', runId),
    `Sorry @${origin.sender.login}, I only act on requests from people with write access to this repository, so I did not start anything.`,
  ].join('\n');
  const id = await ensureComment({
    client,
    repository,
    issueNumber: origin.number,
    kind: 'refusal',
    runId,
    body,
  });
  await journal.update({ refusalCommentId: id });
  return { outcome: 'refused', reason: 'the requester has no write access' };
}

/** `@app status`: one reply saying what the running job of this issue or PR is doing, if any. */
async function answerStatus(input: {
  client: GithubInstallationClient;
  repository: RepositoryName;
  origin: GithubOrigin;
  runId: string;
  deps: GithubWorkerDeps;
  journal: RunJournal;
}): Promise<void> {
  const { origin } = input;
  const key = createGithubWorkTarget(origin).lockKey;
  const line = (await input.deps.inbox?.status(key)) ?? 'No Loom run is working on this right now.';
  const id = await ensureComment({
    client: input.client,
    repository: input.repository,
    issueNumber: origin.number,
    kind: 'status',
    runId: input.runId,
    body: [commentMarker('status', input.runId), `@${origin.sender.login} ${line}`].join('\n'),
  });
  await input.journal.update({ finalCommentId: id });
}

/** The error a run that ended badly (and was reported) leaves with: final, never retried. */
function endingError(published: PublishedWork, limit: string | undefined): LoomError {
  const reason = published.reason ?? published.status;
  const code: LoomErrorCode =
    published.status === 'cancelled'
      ? 'cancelled'
      : published.status === 'over-budget'
        ? 'budget_exceeded'
        : limit === 'wall_time'
          ? 'timeout'
          : 'tool_failed';
  return new LoomError(code, reason, { retryable: false, details: { reported: true } });
}

export async function processGithubAgentRun(
  payload: AgentRunPayload,
  context: JobContext,
  deps: GithubWorkerDeps,
): Promise<JobResult> {
  const origin = payload.github;
  if (origin === undefined)
    throw new LoomError('invalid_input', 'a GitHub agent-run needs its github origin');
  const { runId, logger } = context;
  const journal = createRunJournal(context);
  const reported = journal.state.finalStatus;
  if (reported !== undefined) {
    // A duplicate execution of a run that already reported (RELIABILITY 27): end as it ended.
    if (reported === 'done' || reported === 'answered') return { outcome: reported, alreadyReported: true };
    throw endingError({ status: reported as FinalStatus, wip: false }, journal.state.outcome?.limit);
  }
  const budgetUsd = payload.budgetUsd ?? deps.defaultBudgetUsd;
  if (journal.state.origin === undefined) {
    const { installationId, owner, repo, number, appSlug } = origin;
    const requester = origin.sender.login;
    await journal.update({ origin: { installationId, owner, repo, number, appSlug, requester, budgetUsd } });
  }
  const client = await deps.api.forInstallation(origin.installationId);
  const repository = { owner: origin.owner, repo: origin.repo };
  const command = payload.command ?? 'run';
  if (command === 'status') {
    await answerStatus({ client, repository, origin, runId, deps, journal });
    return { outcome: command };
  }
  if (command !== 'run') {
    // The running job of the conversation sees the `stop` comment itself (it polls the comments),
    // whichever worker holds it; this job only acknowledges the command.
    await react({ client, repository, origin, logger }, '+1');
    return { outcome: command };
  }
  if (journal.state.refusalCommentId !== undefined) {
    return { outcome: 'refused', reason: 'the requester has no write access' };
  }
  if (journal.state.authorized !== true) {
    if (!hasWriteAccess(await client.getPermission(repository, origin.sender.login))) {
      return refuse(client, repository, origin, runId, journal);
    }
    await journal.update({ authorized: true });
  }
  await react({ client, repository, origin, logger }, 'eyes');
  const view: TrackingView = {
    runId,
    requester: origin.sender.login,
    status: 'working',
    steps: { ...initialSteps(), access: 'done' },
    turns: 0,
    costUsd: journal.state.spentUsd ?? 0,
    budgetUsd,
  };
  const trackingCommentId = await ensureComment({
    client,
    repository,
    issueNumber: origin.number,
    kind: 'tracking',
    runId,
    body: renderTrackingComment(view),
    ...(journal.state.trackingCommentId === undefined ? {} : { knownId: journal.state.trackingCommentId }),
  });
  if (journal.state.trackingCommentId !== trackingCommentId) await journal.update({ trackingCommentId });
  const editor = createThrottledEditor({
    edit: (body) => client.updateComment(repository, trackingCommentId, body),
    intervalMs: deps.progressIntervalMs ?? defaultProgressIntervalMs,
    logger,
  });
  const scope: GithubRunScope = {
    deps,
    payload,
    target: createGithubWorkTarget(origin),
    context,
    runId,
    logger,
    client,
    repository,
    appSlug: origin.appSlug,
    journal,
    reporter: createTrackingReporter({ editor, view, costOffsetUsd: journal.state.spentUsd ?? 0 }),
    mirror: createRepositoryMirror({
      rootDir: deps.mirrorsDir,
      gitUrl: deps.gitUrl,
      owner: origin.owner,
      repo: origin.repo,
      logger,
      outboundProxy: deps.outboundProxy,
    }),
    budgetUsd,
  };
  let published: PublishedWork;
  let limit: string | undefined;
  try {
    ({ published, limit } = await runWorkPhases(scope));
  } catch (error) {
    throw await reportFailure(scope, error);
  } finally {
    editor.stop();
  }
  if (published.status === 'done' || published.status === 'answered') {
    return {
      outcome: published.status,
      ...(published.pullRequest ? { pullRequest: published.pullRequest.url } : {}),
      ...(published.branch ? { branch: published.branch } : {}),
    };
  }
  throw endingError(published, limit);
}

/**
 * An attempt that threw: on shutdown the job is released (the tracking comment says it will
 * resume); a retryable error with attempts left is retried; anything else is reported as the final
 * failure and fails the job for good.
 */
async function reportFailure(scope: GithubRunScope, error: unknown): Promise<unknown> {
  const { context, reporter, deps, logger } = scope;
  const failure = toLoomError(error);
  if (context.signal.aborted) {
    reporter.set({ note: '⏸️ The worker stopped; this run resumes on another worker.' });
    await reporter.flush();
    return error;
  }
  const lastAttempt = context.failedAttempts + 1 >= deps.maxAttempts;
  if (failure.retryable && !lastAttempt) {
    reporter.set({ note: `⚠️ Attempt ${context.attempt} hit a problem (${failure.message}); retrying.` });
    await reporter.flush();
    return error;
  }
  try {
    await reportFinal(scope, {
      status: 'failed',
      reason: failure.message,
      ...(scope.journal.state.outcome ? { outcome: scope.journal.state.outcome } : {}),
    });
  } catch (reportError) {
    logger.error({ err: reportError }, 'could not post the final failure comment');
  }
  return new LoomError(failure.code, failure.message, {
    retryable: false,
    cause: error,
    details: { reported: true },
  });
}
