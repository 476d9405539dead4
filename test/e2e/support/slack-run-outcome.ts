/**
 * What a Slack-triggered run left behind, read from `loom start`'s public surfaces: the final thread
 * message in the Slack stand-in, and the agent-run jobs that `/metrics` counts as finished.
 */
import { waitFor } from '../../queue/support/wait-for.js';
import { metricSum, type LoomService } from './loom-service.js';
import type { SlackCall, SlackWebApiServer } from './slack-web-api-server.js';

/** The final thread message that links a PR, once it is there. */
export async function finalMessage(
  service: LoomService,
  sl: SlackWebApiServer,
  threadTs: string,
): Promise<SlackCall> {
  return waitFor(
    () =>
      sl
        .callsOf('chat.postMessage')
        .find((call) => call.params.thread_ts === threadTs && String(call.params.text).includes('/pull/')),
    { timeoutMs: 150_000, intervalMs: 250, what: 'the final thread message linking the PR' },
  ).catch((error: unknown) => {
    throw new Error(`${String(error)}\nslack calls: ${JSON.stringify(sl.calls)}\n${service.output()}`);
  });
}

/** Waits until nothing is queued or running, then tells how many agent-run jobs ended, and how. */
export async function finishedAgentRuns(service: LoomService): Promise<{ all: number; completed: number }> {
  const text = await waitFor(
    async () => {
      const metrics = await service.metrics();
      const pending = ['waiting', 'active', 'delayed', 'prioritized'].reduce(
        (sum, state) => sum + metricSum(metrics, 'loom_queue_jobs', { state }),
        0,
      );
      const finished = metricSum(metrics, 'loom_job_duration_seconds_count', { job: 'agent-run' });
      return pending === 0 && finished >= 1 ? metrics : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: 'the queue to drain' },
  );
  return {
    all: metricSum(text, 'loom_job_duration_seconds_count', { job: 'agent-run' }),
    completed: metricSum(text, 'loom_job_duration_seconds_count', { job: 'agent-run', outcome: 'completed' }),
  };
}
