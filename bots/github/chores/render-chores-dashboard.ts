/**
 * The body of a repository's "Loom chores" issue (pure): one row per chore with its schedule, last
 * run, result, next run and open pull request. The hidden marker lets Loom find its issue again.
 */
import { nextRunTimes } from '../../../src/chores/index.js';
import type { ChoreRunRecord, StoredChore } from '../../../src/store/index.js';

export const choresDashboardTitle = 'Loom chores';
export const choresDashboardMarker = '<!-- loom:chores-dashboard -->';

export interface ChoresDashboardView {
  repository: string;
  chores: readonly StoredChore[];
  /** Runs of the repository, newest first (the first per chore is its last run). */
  runs: readonly ChoreRunRecord[];
  now: Date;
}

const resultText: Record<ChoreRunRecord['status'], string> = {
  queued: '⏳ queued',
  running: '🔄 running',
  done: '✅ pull request updated',
  answered: '✅ nothing to change',
  failed: '❌ failed',
  cancelled: '⏹️ cancelled',
  'over-budget': '💸 over budget',
};

export function renderChoresDashboard(view: ChoresDashboardView): string {
  const lines = [
    choresDashboardMarker,
    `Scheduled chores of \`${view.repository}\`, from \`.loom/chores.yml\` on the default branch. Loom keeps this issue current; edits to it are overwritten.`,
    '',
  ];
  if (view.chores.length === 0) {
    lines.push('_No chores are scheduled._');
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    '| Chore | Schedule | Last run | Result | Next run | Pull request |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const chore of view.chores) {
    const runs = view.runs.filter((run) => run.choreName === chore.name);
    const last = runs[0];
    const pullRequest = runs.find((run) => run.pullRequestUrl !== undefined);
    const zone = chore.timezone === undefined ? 'UTC' : chore.timezone;
    lines.push(
      [
        `\`${chore.name}\``,
        `\`${chore.schedule}\` (${zone})`,
        last === undefined
          ? '—'
          : `${formatTime(last.startedAt ?? last.createdAt)}${last.trigger === 'manual' ? ' (manual)' : ''}`,
        last === undefined ? '—' : resultOf(last),
        formatTime(nextRunTimes(chore.schedule, chore.timezone, view.now)[0]),
        pullRequest?.pullRequestUrl === undefined
          ? '—'
          : `[#${pullRequest.pullRequestNumber ?? ''}](${pullRequest.pullRequestUrl})`,
      ]
        .map(cell)
        .join(' | ')
        .replace(/^/, '| ')
        .concat(' |'),
    );
  }
  return `${lines.join('\n')}\n`;
}

function resultOf(run: ChoreRunRecord): string {
  const text = resultText[run.status];
  const cost = run.finishedAt === undefined ? '' : ` ($${run.costUsd.toFixed(2)})`;
  return run.reason === undefined ? `${text}${cost}` : `${text}: ${run.reason}${cost}`;
}

function formatTime(date: Date | undefined): string {
  return date === undefined ? '—' : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A table cell: one line, no pipes, bounded. */
function cell(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  return flat.length > 300 ? `${flat.slice(0, 297)}…` : flat;
}
