import type { ChoreRunRecord } from '../../../src/store/index.js';

/** The Slack message at the end of a chore run (pure; Slack mrkdwn). */
export function renderChoreSlackMessage(run: ChoreRunRecord): string {
  const name = `chore \`${run.choreName}\` on ${run.repository}`;
  const cost = `$${run.costUsd.toFixed(2)}`;
  switch (run.status) {
    case 'done':
      return `✅ Loom ${name}: ${run.pullRequestUrl === undefined ? 'changes pushed' : `<${run.pullRequestUrl}|pull request #${run.pullRequestNumber ?? ''}> updated`} (${cost}).`;
    case 'answered':
      return `✅ Loom ${name}: nothing to change (${cost}).`;
    case 'over-budget':
      return `💸 Loom ${name} stopped at its budget (${cost})${run.reason === undefined ? '' : `: ${run.reason}`}.`;
    case 'cancelled':
      return `⏹️ Loom ${name} was cancelled.`;
    default:
      return `❌ Loom ${name} failed${run.reason === undefined ? '' : `: ${run.reason}`}.`;
  }
}
