/**
 * The work of a GitHub run once it is accepted: plan (fetch the mirror, pick the branch), run the
 * agent unless an earlier attempt already finished it, publish, and report. A conversation lock,
 * when configured, keeps two runs of one issue or PR from working at once.
 */
import {
  githubSource,
  loadConversation,
  recordPublishedWork,
  recordRunInThread,
} from './conversation-thread.js';
import type { GithubRunScope } from './github-run-scope.js';
import { planWork, type PlannedWork } from './plan-work.js';
import { publishWork, type PublishedWork } from './publish-work.js';
import { reportFinal } from './report-final.js';
import { runAgentInWeaver, runCommitRef } from './run-agent-in-weaver.js';
import type { AgentOutcome } from './run-journal.js';

export interface WorkEnding {
  published: PublishedWork;
  /** The agent limit that ended the run, when one did. */
  limit: string | undefined;
}

async function withConversationLock<T>(scope: GithubRunScope, work: () => Promise<T>): Promise<T> {
  const lock = scope.deps.conversationLock;
  if (lock === undefined) return work();
  const { owner, repo, number } = scope.origin;
  const held = await lock.acquire(`github:${owner}/${repo}#${number}`.toLowerCase(), scope.context.signal);
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
  const { deps, origin, journal, reporter, logger } = scope;
  reporter.step('agent', 'running');
  const source = githubSource(origin.owner, origin.repo, origin.number, origin.isPullRequest);
  const conversation = await loadConversation(deps.threads, source);
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
        owner: `github:${origin.sender.login}`,
        messages: phase.newMessages,
        patch: {
          status: phase.outcome.status,
          repository: `${origin.owner}/${origin.repo}`,
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
    const planned = await planWork(scope);
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
        repository: `${scope.origin.owner}/${scope.origin.repo}`,
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
    return { published, limit: work.outcome.limit };
  });
}
