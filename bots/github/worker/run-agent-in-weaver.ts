/**
 * The agent phase of a GitHub run: a fresh weaver gets the branch as a git bundle (no token goes
 * in), the system prompt gets the repository's instructions from the BASE commit (never from the PR
 * head, RELIABILITY 23), the model is reached through the proxy with a job token and the remaining
 * budget, new comments steer or stop the run, and at the end the worker commits inside the weaver
 * and takes the commit back into the mirror as a bundle.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { createSteeringQueue, runAgent, type AgentRunResult } from '../../../src/agent/index.js';
import { LoomError } from '../../../src/errors/index.js';
import { costOfUsage, type ChatMessage } from '../../../src/llm/index.js';
import { buildSystemPrompt, loadRepositoryInstructions } from '../../../src/prompt/index.js';
import type { Weaver } from '../../../src/weaver/index.js';
import { buildCommitMessage, commitInWeaver } from './commit-in-weaver.js';
import type { ModelSession } from './create-proxy-model-access.js';
import { defaultInboxPollMs } from './github-worker-deps.js';
import { runStatusLine, watchConversationInbox } from './watch-conversation-inbox.js';
import type { GithubRunScope } from './github-run-scope.js';
import type { PlannedWork } from './plan-work.js';
import type { AgentOutcome } from './run-journal.js';

export interface AgentPhaseResult {
  outcome: AgentOutcome;
  /** The run's commit, now in the mirror as `refs/loom/runs/{runId}`; undefined when nothing changed. */
  commit: string | undefined;
  /** The messages this run added to the conversation. */
  newMessages: ChatMessage[];
}

/**
 * The mirror ref holding a run's commit. Run ids come from job ids, and a scheduled job's id has
 * `:` in it (`repeat:chore/…:1795627440000`), which git refuses in a ref name: anything outside
 * `[A-Za-z0-9._-]` is percent-encoded, so ordinary ids keep their ref unchanged.
 */
export const runCommitRef = (runId: string): string =>
  `refs/loom/runs/${runId.replace(/[^A-Za-z0-9._-]/g, (character) => `%${character.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;

function toOutcome(result: AgentRunResult, spentBefore: number, stoppedBy: string | undefined): AgentOutcome {
  const overBudget = result.status === 'over-budget' || result.error?.code === 'budget_exceeded';
  const status = overBudget ? 'over-budget' : result.status;
  const reason =
    stoppedBy !== undefined && result.status === 'cancelled' ? `Stopped by ${stoppedBy}.` : result.reason;
  return {
    status,
    ...(reason === undefined ? {} : { reason }),
    ...(result.limit === undefined ? {} : { limit: result.limit }),
    answer: result.answer.slice(0, 60_000),
    turns: result.turns,
    costUsd: spentBefore + result.usage.cost_usd,
    commands: result.commands.slice(-500),
    filesChanged: result.filesChanged.slice(0, 500),
  };
}

async function runModel(
  scope: GithubRunScope,
  input: {
    weaver: Weaver;
    planned: PlannedWork;
    history: ChatMessage[];
    session: ModelSession;
    spentBefore: number;
  },
): Promise<{ result: AgentRunResult; stoppedBy: string | undefined }> {
  const { deps, journal, reporter, repository } = scope;
  const { plan } = input.planned;
  const instructions = await loadRepositoryInstructions((file) =>
    scope.mirror.readFile(plan.baseCommit, file),
  );
  const system = buildSystemPrompt({
    workspace: input.weaver.workspace,
    repository: `${repository.owner}/${repository.repo}`,
    instructions,
    context: input.planned.context,
  });
  const steering = createSteeringQueue();
  const stop = new AbortController();
  let stoppedBy: string | undefined;
  const watch = scope.target.watchSteering(scope, {
    steering,
    onStop: (requester) => {
      stoppedBy = requester;
      stop.abort(new LoomError('cancelled', `stopped by ${requester}`));
    },
  });
  const inboxWatch =
    deps.inbox === undefined
      ? undefined
      : watchConversationInbox({
          inbox: deps.inbox,
          conversationKey: scope.target.lockKey,
          runId: scope.runId,
          pollMs: deps.inboxPollMs ?? defaultInboxPollMs,
          steering,
          onStop: (requester) => {
            stoppedBy = requester;
            stop.abort(new LoomError('cancelled', `stopped by ${requester}`));
          },
          sanitize: deps.sanitize,
          status: () =>
            runStatusLine({ repository: `${repository.owner}/${repository.repo}`, ...reporter.view }),
          logger: scope.logger,
        });
  const remaining = scope.budgetUsd - input.spentBefore;
  try {
    const result = await runAgent({
      llm: input.session.llm,
      model: input.session.model,
      system,
      tools: input.weaver,
      prompt: deps.sanitize(scope.payload.prompt),
      ...(input.history.length > 0 ? { messages: input.history } : {}),
      limits: {
        maxCostUsd: remaining,
        maxWallTimeMs: deps.maxWallTimeMs,
        ...(deps.maxTurns ? { maxTurns: deps.maxTurns } : {}),
      },
      costOf: costOfUsage,
      signal: AbortSignal.any([scope.context.signal, stop.signal]),
      steering,
      onEvent: (event) => {
        reporter.onAgentEvent(event);
        if (event.type === 'usage_updated') {
          void journal
            .update({ spentUsd: input.spentBefore + event.usage.cost_usd })
            .catch((error: unknown) => {
              scope.logger.warn({ err: error }, 'could not journal the spend');
            });
        }
      },
      logger: scope.logger,
    });
    return { result, stoppedBy };
  } finally {
    await watch.stop();
    await inboxWatch?.stop();
  }
}

/** Runs the agent on the planned branch and returns its outcome and commit. */
export async function runAgentInWeaver(
  scope: GithubRunScope,
  planned: PlannedWork,
  history: ChatMessage[],
): Promise<AgentPhaseResult> {
  const { deps, context, repository } = scope;
  const { plan } = planned;
  const spentBefore = scope.journal.state.spentUsd ?? 0;
  const workspaceDir = path.join(deps.workspacesDir, `${scope.runId}-${context.attempt}`);
  await rm(workspaceDir, { recursive: true, force: true });
  await mkdir(workspaceDir, { recursive: true });
  let weaver: Weaver | undefined;
  let session: ModelSession | undefined;
  try {
    weaver = await deps.createWeaver({
      jobId: context.jobId,
      repository: `${repository.owner}/${repository.repo}`,
      workspaceDir,
      signal: context.signal,
    });
    await weaver.importBundle(
      await scope.mirror.createBundle({ branch: plan.branch, commit: plan.startCommit }),
    );
    session = await deps.models.open({
      runId: scope.runId,
      subject: scope.target.subject,
      budgetUsd: Math.max(0, scope.budgetUsd - spentBefore),
      ttlSeconds: Math.ceil(deps.maxWallTimeMs / 1000) + 600,
    });
    const { result, stoppedBy } = await runModel(scope, { weaver, planned, history, session, spentBefore });
    if (context.signal.aborted && stoppedBy === undefined) {
      // The worker is shutting down: the job goes back to the queue and resumes from the journal.
      throw new LoomError('cancelled', 'the worker is shutting down', { retryable: true });
    }
    if (result.status === 'failed' && result.error?.retryable === true) {
      throw new LoomError(result.error.code, `The model could not be reached: ${result.error.message}`, {
        retryable: true,
      });
    }
    const outcome = toOutcome(result, spentBefore, stoppedBy);
    const commit = await commitRun(scope, weaver, planned, outcome);
    return { outcome, commit, newMessages: result.messages.slice(history.length) };
  } finally {
    await session
      ?.release()
      .catch((error: unknown) => scope.logger.warn({ err: error }, 'could not revoke the job token'));
    await weaver?.close();
    await rm(workspaceDir, { recursive: true, force: true });
  }
}

async function commitRun(
  scope: GithubRunScope,
  weaver: Weaver,
  planned: PlannedWork,
  outcome: AgentOutcome,
): Promise<string | undefined> {
  const author = await scope.client.botIdentity(scope.appSlug);
  const domain = author.email.split('@')[1] ?? 'users.noreply.github.com';
  const done = outcome.status === 'done';
  const text = scope.target.commitText(planned.plan, done, domain);
  const message = buildCommitMessage({
    subject: text.subject,
    summary: done ? outcome.answer : `Partial work: ${outcome.reason ?? outcome.status}.`,
    reference: text.reference,
    ...(text.coAuthor === undefined ? {} : { coAuthor: text.coAuthor }),
  });
  // A fresh signal: the run's own may be aborted (stop, time-out), yet its work is still committed.
  const committed = await commitInWeaver({
    weaver,
    startCommit: planned.plan.startCommit,
    author,
    message,
    signal: scope.context.signal,
  });
  if (committed === undefined) return undefined;
  const bundle = await weaver.exportBundle(planned.plan.startCommit);
  if (bundle === undefined) return undefined;
  return scope.mirror.receiveBundle(bundle, runCommitRef(scope.runId));
}
