/**
 * The tracking comment: one comment per run, edited in place as the run moves on (issue 5 item 3).
 * A pure function of what the run knows, so every edit is a full re-render and a retried run
 * renders the same comment.
 */
import { commentMarker } from './comment-markers.js';
import { formatUsd, inlineCode } from './markdown-text.js';

export type StepKey = 'access' | 'fetch' | 'agent' | 'push' | 'pull_request';
export type StepState = 'pending' | 'running' | 'done' | 'skipped' | 'failed';
export type TrackingStatus = 'working' | 'done' | 'failed' | 'cancelled' | 'over-budget';

export interface TrackingView {
  runId: string;
  requester: string;
  status: TrackingStatus;
  steps: Record<StepKey, StepState>;
  /** Shown next to the fetch step, e.g. `main` @ `abc1234`. */
  source?: { branch: string; commit: string };
  turns: number;
  costUsd: number;
  budgetUsd: number;
  /** The tool call running now, e.g. `bash: npm test`. */
  activity?: string;
  /** A line under the checklist: a retry notice, a failure reason. */
  note?: string;
  pullRequestUrl?: string;
  branch?: string;
}

const stepLabels: Record<StepKey, string> = {
  access: 'Check the requester’s access',
  fetch: 'Fetch the repository',
  agent: 'Work on the request',
  push: 'Push the changes',
  pull_request: 'Open or update the pull request',
};

const headings: Record<TrackingStatus, string> = {
  working: '⏳ Loom is working on this',
  done: '✅ Loom finished',
  failed: '❌ Loom failed',
  cancelled: '⏹️ Loom stopped',
  'over-budget': '💸 Loom stopped at its budget',
};

export function initialSteps(): Record<StepKey, StepState> {
  return { access: 'pending', fetch: 'pending', agent: 'pending', push: 'pending', pull_request: 'pending' };
}

function stepLine(key: StepKey, state: StepState, view: TrackingView): string {
  let label = stepLabels[key];
  if (key === 'fetch' && view.source !== undefined) {
    label += ` (${inlineCode(view.source.branch)} @ ${inlineCode(view.source.commit.slice(0, 7))})`;
  }
  if (key === 'agent' && (state === 'running' || state === 'done' || view.turns > 0)) {
    label += ` — ${view.turns} ${view.turns === 1 ? 'turn' : 'turns'}, ${formatUsd(view.costUsd)} of ${formatUsd(view.budgetUsd)}`;
    if (state === 'running' && view.activity !== undefined)
      label += ` — now: ${inlineCode(view.activity, 80)}`;
  }
  if (key === 'push' && view.branch !== undefined && state === 'done')
    label += ` to ${inlineCode(view.branch)}`;
  if (key === 'pull_request' && view.pullRequestUrl !== undefined) label += ` (${view.pullRequestUrl})`;
  switch (state) {
    case 'done':
      return `- [x] ${label}`;
    case 'skipped':
      return `- [x] ~~${label}~~ (not needed)`;
    case 'running':
      return `- [ ] **${label}**`;
    case 'failed':
      return `- [ ] ❌ ${label}`;
    default:
      return `- [ ] ${label}`;
  }
}

export function renderTrackingComment(view: TrackingView): string {
  const keys = Object.keys(stepLabels) as StepKey[];
  const lines = [
    commentMarker('tracking', view.runId),
    `### ${headings[view.status]}`,
    '',
    ...keys.map((key) => stepLine(key, view.steps[key], view)),
  ];
  if (view.note !== undefined && view.note.trim() !== '') lines.push('', view.note.trim());
  lines.push('', `<sub>Run ${inlineCode(view.runId)} · requested by @${view.requester}</sub>`);
  return lines.join('\n');
}
