/**
 * The work of a run once it is accepted, whatever surface it came from: plan (fetch the mirror,
 * pick the branch), run the agent unless an earlier attempt already finished it, publish, and
 * report. A conversation lock, when configured, keeps two runs of one conversation from working at
 * once.
 */
import { loadConversation, recordPublishedWork, recordRunInThread } from './conversation-thread.js';
import type { GithubRunScope } from './github-run-scope.js';
import type { PlannedWork } from './plan-work.js';
import { publishWork, type PublishedWork } from './publish-work.js';
import { reportFinal } from './report-final.js';
import { runAgentInWeaver, runCommitRef } from './run-agent-in-weaver.js';
import type { AgentOutcome } from './run-journal.js';

export interface WorkEnding {
  published: PublishedWork;
  /** The agent limit that ended the run, when one did. */
  limit: string | undefined;
  /** How the agent's part ended (its answer, turns and cost). */
  outcome: AgentOutcome;
}

async function withConversationLock<T>(scope: GithubRunScope, work: () => Promise<T>): Promise<T> {
  const lock = scope.deps.conversationLock;
  if (lock === undefined) return work();
  const held = await lock.acquire(scope.target.lockKey, scope.context.signal);
  try {
    return await work();
  } finally {
    await held.release();
  }
}

/** The outcome and commit of an earlier attempt, if its commit is still in this worker's mirror. */
async function journaledWork(
  scope: GithubRunScope,
): Promise<{ outcome: AgentOutcome; commit: string | undefined } | undefined> {
  const { outcome, commit, noChanges } = scope.journal.state;
  if (outcome === undefined) return undefined;
  if (noChanges === true) return { outcome, commit: undefined };
  if (commit !== undefined && (await scope.mirror.resolve(runCommitRef(scope.runId))) === commit) {
    return { outcome, commit };
  }
  // Journaled on another machine whose mirror we do not have: the agent runs again.
  return undefined;
}

async function runAgentPhase(scope: GithubRunScope, planned: PlannedWork) {
  const { deps, journal, reporter, logger, repository } = scope;
  reporter.step('agent', 'running');
  const source = scope.target.threadSource;
  const conversation = scope.target.freshStart
    ? { messages: [] }
    : await loadConversation(deps.threads, source);
  const phase = await runAgentInWeaver(scope, planned, conversation.messages);
  reporter.step('agent', phase.outcome.status === 'done' ? 'done' : 'failed');
  await journal.update({
    outcome: phase.outcome,
    spentUsd: phase.outcome.costUsd,
    ...(phase.commit === undefined ? { noChanges: true } : { commit: phase.commit }),
  });
  if (deps.threads !== undefined) {
    try {
      const threadId = await recordRunInThread({
        threads: deps.threads,
        source,
        runId: scope.runId,
        title: planned.plan.title,
        owner: scope.target.subject,
        messages: phase.newMessages,
        patch: {
          status: phase.outcome.status,
          repository: `${repository.owner}/${repository.repo}`,
          git: { branch: planned.plan.branch, base: planned.plan.baseBranch },
          costUsd: phase.outcome.costUsd,
          turns: phase.outcome.turns,
        },
        logger,
      });
      await journal.update({ threadId });
    } catch (error) {
      logger.error({ err: error }, 'could not record the run in its conversation thread');
    }
  }
  return phase;
}

export function runWorkPhases(scope: GithubRunScope): Promise<WorkEnding> {
  return withConversationLock(scope, async () => {
    const { journal, reporter, deps, logger } = scope;
    reporter.step('fetch', 'running');
    const planned = await scope.target.plan(scope);
    reporter.set({ source: { branch: planned.plan.branch, commit: planned.plan.startCommit } });
    reporter.step('fetch', 'done');
    await journal.update({ plan: planned.plan });
    let work = await journaledWork(scope);
    if (work === undefined) {
      work = await runAgentPhase(scope, planned);
    } else {
      reporter.set({ turns: work.outcome.turns, costUsd: work.outcome.costUsd });
      reporter.step('agent', work.outcome.status === 'done' ? 'done' : 'failed');
    }
    const published = await publishWork(scope, planned, work.outcome, work.commit);
    const threadId = journal.state.threadId;
    if (deps.threads !== undefined && threadId !== undefined) {
      await recordPublishedWork({
        threads: deps.threads,
        threadId,
        commit: work.commit,
        pullRequest: published.pullRequest,
        repository: `${scope.repository.owner}/${scope.repository.repo}`,
        logger,
      }).catch((error: unknown) =>
        logger.error({ err: error }, 'could not record the pushed work in the thread'),
      );
    }
    await reportFinal(scope, {
      status: published.status,
      ...(published.reason === undefined ? {} : { reason: published.reason }),
      outcome: work.outcome,
      ...(published.pullRequest ? { pullRequest: published.pullRequest } : {}),
      ...(published.branch ? { branch: published.branch } : {}),
      wip: published.wip,
    });
    // Reported: the run's commit is on the host now (or was not wanted); the mirror lets it go.
    await scope.mirror
      .forgetRun(runCommitRef(scope.runId))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not tidy the mirror'));
    return { published, limit: work.outcome.limit, outcome: work.outcome };
  });
}
