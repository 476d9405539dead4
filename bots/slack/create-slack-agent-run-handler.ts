/**
 * The Slack side of an `agent-run` job in the worker: it reports the run in its thread and makes
 * sure every accepted request ends with a final message (done, answered, failed with its reason,
 * stopped, over budget). The work itself (fetch → agent in a weaver → push → pull request) is the
 * injected `runTask`; until one is wired, each Slack task is answered with a clear failure instead
 * of silence. Plug it in as `createAgentRunProcessor({ handlers: { slack: … } })`.
 */
import { defaultJobPolicy } from '../../queue/index.js';
import type { AgentRunPayload, JobContext, JobResult } from '../../queue/index.js';
import { LoomError, toLoomError } from '../../src/errors/index.js';
import type { SlackStateRepository } from '../../src/store/index.js';
import { createSlackRunReporter } from './create-slack-run-reporter.js';
import type { RunOutcome, RunReporter } from './run-reporter.js';
import type { SlackApi } from './slack-api.js';

/** Runs one task and says how it ended; progress goes through `reporter`. */
export type SlackTaskRunner = (
  payload: AgentRunPayload,
  context: JobContext,
  reporter: RunReporter,
) => Promise<RunOutcome>;

/** Carries out `stop` / `status` for the payload's conversation; returns the text to answer with. */
export type SlackCommandRunner = (payload: AgentRunPayload, context: JobContext) => Promise<string>;

export interface SlackAgentRunHandlerDeps {
  /** Slack Web API for the reporter (with the SDK's retries). */
  api: SlackApi;
  state: SlackStateRepository;
  runTask?: SlackTaskRunner;
  runCommand?: SlackCommandRunner;
  /** Offers a reply to the task running in its thread; true when that task took it as steering. */
  steer?: (payload: AgentRunPayload, context: JobContext) => Promise<boolean>;
  /** Attempts a job gets; the last one reports a retryable failure as final (default: the job policy's). */
  maxAttempts?: number;
  minUpdateIntervalMs?: number;
}

export function createSlackAgentRunHandler(
  deps: SlackAgentRunHandlerDeps,
): (payload: AgentRunPayload, context: JobContext) => Promise<JobResult> {
  const maxAttempts = deps.maxAttempts ?? defaultJobPolicy.attempts;
  return async (payload, context) => {
    const origin = payload.slack;
    if (origin === undefined)
      throw new LoomError('invalid_input', 'a Slack agent-run needs its slack origin');
    const reporter = createSlackRunReporter({
      api: deps.api,
      state: deps.state,
      key: context.runId,
      channelId: origin.channelId,
      threadTs: origin.threadTs,
      messageTs: origin.messageTs,
      ...(payload.repository === undefined ? {} : { repository: payload.repository }),
      ...(payload.budgetUsd === undefined ? {} : { budgetUsd: payload.budgetUsd }),
      logger: context.logger,
      ...(deps.minUpdateIntervalMs === undefined ? {} : { minUpdateIntervalMs: deps.minUpdateIntervalMs }),
    });
    const command = payload.command ?? 'run';
    if (command !== 'run') {
      const text = deps.runCommand
        ? await deps.runCommand(payload, context)
        : `\`${command}\` is not supported by this Loom worker yet.`;
      await reporter.say(text);
      return { outcome: command };
    }
    if (deps.steer !== undefined && (await deps.steer(payload, context))) {
      await reporter.say(':speech_balloon: Passed to the task running in this thread.');
      return { outcome: 'steered' };
    }
    // Fails retryably when Slack does not answer: the job is retried before any work starts.
    await reporter.start();
    try {
      if (deps.runTask === undefined) {
        await reporter.finish({ status: 'failed', reason: 'this Loom worker cannot run Slack tasks yet' });
        throw new LoomError('config_invalid', 'this Loom worker cannot run Slack tasks yet', {
          retryable: false,
          details: { reported: true },
        });
      }
      let outcome: RunOutcome;
      try {
        outcome = await deps.runTask(payload, context, reporter);
      } catch (error) {
        throw await reportFailure(reporter, context, maxAttempts, error);
      }
      await reporter.finish(outcome);
      return resultOf(outcome);
    } finally {
      reporter.stop();
    }
  };
}

/** The job result of a reported outcome; a run that ended badly fails the job for good. */
function resultOf(outcome: RunOutcome): JobResult {
  if (outcome.status === 'done' || outcome.status === 'answered') {
    return {
      outcome: outcome.status,
      ...(outcome.pullRequestUrl ? { pullRequest: outcome.pullRequestUrl } : {}),
    };
  }
  const code =
    outcome.status === 'over-budget'
      ? 'budget_exceeded'
      : outcome.status === 'cancelled'
        ? 'cancelled'
        : 'tool_failed';
  throw new LoomError(code, outcome.reason ?? outcome.status, {
    retryable: false,
    details: { reported: true },
  });
}

/**
 * An attempt that threw: on shutdown the job is released (the status message says it resumes); a
 * retryable error with attempts left is retried; anything else becomes the final message.
 */
async function reportFailure(
  reporter: RunReporter,
  context: JobContext,
  maxAttempts: number,
  error: unknown,
): Promise<unknown> {
  const failure = toLoomError(error);
  if (context.signal.aborted) {
    reporter.note('The worker stopped; this run resumes on another worker.');
    await reporter.flush();
    return error;
  }
  if (failure.retryable && context.failedAttempts + 1 < maxAttempts) {
    reporter.note(`Attempt ${context.attempt} hit a problem (${failure.message}); retrying.`);
    await reporter.flush();
    return error;
  }
  try {
    await reporter.finish({ status: 'failed', reason: failure.message });
  } catch (reportError) {
    context.logger.error({ err: reportError }, 'could not post the final Slack message');
  }
  return new LoomError(failure.code, failure.message, {
    retryable: false,
    cause: error,
    details: { reported: true },
  });
}
