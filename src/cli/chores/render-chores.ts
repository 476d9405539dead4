import type { ChoreListing, ChoreRunAnswer } from './chores-client.js';

/** `loom chores list`: one line per chore with its schedule, next run and last result. */
export function renderChoreList(chores: readonly ChoreListing[]): string {
  if (chores.length === 0) return 'No chores.\n';
  const rows = chores.map((chore) => [
    `${chore.repository} ${chore.name}`,
    `${chore.schedule} (${chore.timezone})`,
    `next ${chore.nextRunAt ?? '—'}${chore.scheduled ? '' : ' (not scheduled)'}`,
    chore.lastRun === undefined ? 'never ran' : `last ${chore.lastRun.status}`,
  ]);
  const widths =
    rows[0]?.map((_cell, index) => Math.max(...rows.map((row) => row[index]?.length ?? 0))) ?? [];
  return `${rows
    .map((row) =>
      row
        .map((cell, index) => cell.padEnd(widths[index] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** One line for a run's final state. */
export function renderChoreRun(run: ChoreRunAnswer): string {
  const parts = [`${run.runId}: ${run.status}`];
  if (run.reason !== undefined) parts.push(`(${run.reason})`);
  if (run.pullRequestUrl !== undefined) parts.push(run.pullRequestUrl);
  if (run.costUsd !== undefined) parts.push(`$${run.costUsd.toFixed(2)}`);
  return `${parts.join(' ')}\n`;
}

/** Statuses after which a run does not change any more, and which of them are failures. */
export const finalChoreStatuses = new Set(['done', 'answered', 'failed', 'cancelled', 'over-budget']);
export const failedChoreStatuses = new Set(['failed', 'cancelled', 'over-budget']);
