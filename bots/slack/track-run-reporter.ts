/**
 * The pipeline's progress view (`TrackingReporter`, bots/github/worker) over a Slack `RunReporter`:
 * steps, notes and agent events go to the thread's status message. The final message is the Slack
 * handler's to post once the work returns, so `finish` only flushes the status.
 */
import { initialSteps, type TrackingReporter, type TrackingView } from '../github/worker/index.js';
import type { RunReporter } from './run-reporter.js';

export function trackRunReporter(
  reporter: RunReporter,
  start: { runId: string; requester: string; budgetUsd: number; costOffsetUsd: number },
): TrackingReporter {
  const view: TrackingView = {
    runId: start.runId,
    requester: start.requester,
    status: 'working',
    steps: initialSteps(),
    turns: 0,
    costUsd: start.costOffsetUsd,
    budgetUsd: start.budgetUsd,
  };
  return {
    view,
    step(key, state) {
      view.steps[key] = state;
      if (key !== 'access') reporter.step(key, state);
    },
    set(patch) {
      Object.assign(view, patch);
      if ('note' in patch) reporter.note(patch.note);
    },
    onAgentEvent(event) {
      if (event.type === 'usage_updated') {
        view.turns = event.turns;
        view.costUsd = start.costOffsetUsd + event.usage.cost_usd;
      }
      reporter.onAgentEvent(event);
    },
    async finish(status, note) {
      view.status = status;
      if (note !== undefined) reporter.note(note);
      await reporter.flush();
    },
    flush: () => reporter.flush(),
  };
}
