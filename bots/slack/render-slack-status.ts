/**
 * The status message in the Slack thread: one message per run, edited in place as the run moves on.
 * A pure function of what the run knows, so every edit is a full re-render and a retried attempt
 * renders the same message. Slack mrkdwn: `*bold*`, `` `code` ``.
 */
import type { RunOutcome, RunStepKey, RunStepState } from './run-reporter.js';

export type SlackRunStatus = 'working' | RunOutcome['status'];

export interface SlackStatusView {
  status: SlackRunStatus;
  repository?: string;
  steps: Record<RunStepKey, RunStepState>;
  turns: number;
  toolCalls: number;
  costUsd: number;
  budgetUsd?: number;
  /** The tool call running now, e.g. `bash: npm test`. */
  activity?: string;
  note?: string;
}

const headings: Record<SlackRunStatus, string> = {
  working: ':hourglass_flowing_sand: *Working on it*',
  done: ':white_check_mark: *Done*',
  answered: ':white_check_mark: *Answered*',
  failed: ':x: *Failed*',
  cancelled: ':black_square_for_stop: *Stopped*',
  'over-budget': ':money_with_wings: *Stopped at the budget*',
};

const stepLabels: Record<RunStepKey, string> = {
  fetch: 'Fetch the repository',
  agent: 'Work on the request',
  push: 'Push the changes',
  pull_request: 'Open or update the pull request',
};

const stepMarks: Record<RunStepState, string> = {
  pending: ':white_circle:',
  running: ':large_blue_circle:',
  done: ':white_check_mark:',
  skipped: ':heavy_minus_sign:',
  failed: ':x:',
};

export function initialSlackSteps(): Record<RunStepKey, RunStepState> {
  return { fetch: 'pending', agent: 'pending', push: 'pending', pull_request: 'pending' };
}

export function formatUsd(value: number): string {
  return `$${value.toFixed(2)}`;
}

/** Inline code that cannot be broken out of (backticks removed) and stays short. */
export function inlineCode(text: string, maxLength = 60): string {
  const flat = text.replace(/`/g, "'").replace(/\s+/g, ' ').trim();
  return `\`${flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat}\``;
}

export function renderSlackStatus(view: SlackStatusView): string {
  const cost =
    view.budgetUsd === undefined
      ? formatUsd(view.costUsd)
      : `${formatUsd(view.costUsd)} of ${formatUsd(view.budgetUsd)}`;
  const facts = [
    view.repository === undefined ? undefined : inlineCode(view.repository),
    `${view.turns} ${view.turns === 1 ? 'turn' : 'turns'}`,
    `${view.toolCalls} ${view.toolCalls === 1 ? 'step' : 'steps'}`,
    cost,
  ].filter((fact): fact is string => fact !== undefined);
  const lines = [`${headings[view.status]} · ${facts.join(' · ')}`];
  for (const key of Object.keys(stepLabels) as RunStepKey[]) {
    const state = view.steps[key];
    if (state === 'skipped' && view.status !== 'working') continue;
    let line = `${stepMarks[state]} ${stepLabels[key]}`;
    if (key === 'agent' && state === 'running' && view.activity !== undefined)
      line += ` — now: ${inlineCode(view.activity)}`;
    lines.push(line);
  }
  if (view.note !== undefined) lines.push(`_${view.note.replace(/_/g, ' ')}_`);
  return lines.join('\n');
}
