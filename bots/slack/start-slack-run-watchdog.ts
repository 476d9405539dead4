/**
 * The Slack side of "nothing silent" (issue 6 item 4): a Slack run can end without its handler
 * having posted a final message, when BullMQ fails the job without calling the handler
 * (`maxStartedAttempts` after repeated worker deaths) or when a job is cancelled from the queue.
 * Every so often the watchdog looks at ended runs; for a Slack request (its payload is in the
 * requests ledger) whose thread got no final message, it posts one and remembers it (the report
 * state the handler uses), so each request ends with exactly one final message.
 */
import type { AgentRunPayload } from '../../queue/index.js';
import { startPeriodicTask } from '../../src/scheduling/index.js';
import type { Logger } from '../../src/logging/index.js';
import type {
  RequestLedger,
  RunRecord,
  RunRepository,
  RunStatus,
  SlackStateRepository,
} from '../../src/store/index.js';
import { renderSlackFinal } from './render-slack-final.js';
import type { RunOutcome } from './run-reporter.js';
import type { SlackApi } from './slack-api.js';

export interface SlackRunWatchdogOptions {
  runs: Pick<RunRepository, 'list'>;
  requests: Pick<RequestLedger, 'get'>;
  state: SlackStateRepository;
  api: SlackApi;
  logger: Logger;
  /** Time between sweeps (default 60 s). */
  intervalMs?: number;
  /** Runs looked at per status and sweep, newest first (default 200). */
  batchSize?: number;
}

export interface SlackRunWatchdog {
  /** One sweep now; resolves to the number of runs it reported. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

const endedBadly: RunStatus[] = ['failed', 'cancelled', 'over-budget'];

function outcomeOf(run: RunRecord): RunOutcome {
  if (run.status === 'cancelled')
    return { status: 'cancelled', reason: run.error ?? 'the run was cancelled' };
  if (run.status === 'over-budget') return { status: 'over-budget', reason: run.error ?? 'budget reached' };
  return {
    status: 'failed',
    reason: `the run stopped without finishing (${run.error ?? 'its worker died too often'})`,
  };
}

async function slackOriginOf(
  options: SlackRunWatchdogOptions,
  run: RunRecord,
): Promise<AgentRunPayload['slack'] | undefined> {
  if (run.jobName !== 'agent-run' || run.deliveryId === undefined) return undefined;
  const request = await options.requests.get(run.deliveryId);
  const payload = request?.job?.payload as Partial<AgentRunPayload> | undefined;
  if (payload?.source !== 'slack' || (payload.command ?? 'run') !== 'run') return undefined;
  return payload.slack;
}

async function reportIfSilent(options: SlackRunWatchdogOptions, run: RunRecord): Promise<boolean> {
  const saved = await options.state.getReport(run.id);
  if (saved?.finalTs !== undefined) return false;
  const origin = await slackOriginOf(options, run);
  if (origin === undefined) return false;
  const posted = await options.api.postMessage({
    channel: origin.channelId,
    threadTs: origin.threadTs,
    text: renderSlackFinal(outcomeOf(run)),
  });
  await options.state.saveReport(run.id, { ...saved, finalTs: posted.ts });
  options.logger.info(
    { runId: run.id, status: run.status },
    'watchdog reported a Slack run that ended silently',
  );
  return true;
}

export function startSlackRunWatchdog(options: SlackRunWatchdogOptions): SlackRunWatchdog {
  async function sweepOnce(): Promise<number> {
    let reported = 0;
    for (const status of endedBadly) {
      for (const run of await options.runs.list({ status, limit: options.batchSize ?? 200 })) {
        try {
          if (await reportIfSilent(options, run)) reported += 1;
        } catch (error) {
          options.logger.warn(
            { err: error, runId: run.id },
            'watchdog could not report a Slack run; will retry',
          );
        }
      }
    }
    return reported;
  }

  const task = startPeriodicTask(sweepOnce, {
    intervalMs: options.intervalMs ?? 60_000,
    logger: options.logger,
    what: 'Slack watchdog sweep',
  });
  return { sweep: task.run, stop: task.stop };
}
