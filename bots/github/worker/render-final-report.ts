/**
 * What a finished run says on GitHub: the final comment (every accepted request ends with one,
 * RELIABILITY "nothing silent"), the draft PR's title and body, and the check run's output.
 * Pure renderers over the journaled outcome, so a retried report is the same report.
 */
import { commentMarker } from './comment-markers.js';
import { defuseMentions, formatUsd, inlineCode, truncateText } from './markdown-text.js';
import type { AgentOutcome } from './run-journal.js';

export type FinalStatus = 'done' | 'answered' | 'failed' | 'cancelled' | 'over-budget';

export interface FinalReport {
  runId: string;
  status: FinalStatus;
  /** Why, for every status but done/answered. */
  reason?: string;
  outcome?: AgentOutcome;
  pullRequest?: { number: number; url: string; created: boolean };
  /** Branch the work was pushed to (the work branch, the PR's branch or a WIP branch). */
  branch?: string;
  wip?: boolean;
  budgetUsd: number;
}

const maxAnswerLength = 30_000;

function headline(report: FinalReport): string {
  const pull = report.pullRequest;
  switch (report.status) {
    case 'done':
      if (pull === undefined) return `✅ **Done.** The changes are on ${inlineCode(report.branch ?? '')}.`;
      return pull.created
        ? `✅ **Done.** Opened draft pull request #${pull.number}: ${pull.url}`
        : `✅ **Done.** Updated pull request #${pull.number}: ${pull.url}`;
    case 'answered':
      return '💬 **Answer** (no code change was needed):';
    case 'cancelled':
      return `⏹️ **Stopped.** ${report.reason ?? 'The run was cancelled.'}`;
    case 'over-budget':
      return `💸 **Stopped at the budget of ${formatUsd(report.budgetUsd)}.** ${report.reason ?? ''}`.trim();
    case 'failed':
      return `❌ **Failed:** ${report.reason ?? 'the run failed.'}`;
  }
}

export function renderFinalComment(report: FinalReport): string {
  const lines = [commentMarker('final', report.runId), headline(report)];
  if (report.wip === true && report.branch !== undefined) {
    lines.push('', `The partial work is on the branch ${inlineCode(report.branch)} (not merged anywhere).`);
  }
  const answer = report.outcome?.answer.trim() ?? '';
  if (answer !== '') lines.push('', defuseMentions(truncateText(answer, maxAnswerLength)));
  const outcome = report.outcome;
  if (outcome !== undefined) {
    lines.push(
      '',
      `<sub>${outcome.turns} ${outcome.turns === 1 ? 'turn' : 'turns'} · ${formatUsd(outcome.costUsd)} · run ${inlineCode(report.runId)}</sub>`,
    );
  } else {
    lines.push('', `<sub>run ${inlineCode(report.runId)}</sub>`);
  }
  return lines.join('\n');
}

export interface PullRequestText {
  title: string;
  body: string;
}

export function renderPullRequest(input: {
  issueNumber: number;
  issueTitle: string;
  /** `Closes #n` links the PR to the issue; not for follow-ups of a PR. */
  closesIssue: boolean;
  requester: string;
  runId: string;
  outcome: AgentOutcome;
}): PullRequestText {
  return renderRequestPullRequest({
    title: input.issueTitle.trim() || `Loom: #${input.issueNumber}`,
    opening: input.closesIssue ? `Closes #${input.issueNumber}` : `Follow-up to #${input.issueNumber}`,
    requestedBy: `@${input.requester} in #${input.issueNumber}`,
    runId: input.runId,
    outcome: input.outcome,
  });
}

/** A PR's title and body for any request: where it came from, the agent's summary, the files. */
export function renderRequestPullRequest(input: {
  title: string;
  /** The first line: `Closes #12`, a link to the Slack thread, the chore. */
  opening: string;
  /** Who asked and where, already formatted (`@octocat in #12`). */
  requestedBy: string;
  runId: string;
  outcome: AgentOutcome;
}): PullRequestText {
  const summary = input.outcome.answer.trim();
  const files = input.outcome.filesChanged.slice(0, 50).map((file) => `- ${inlineCode(file)}`);
  const body = [
    input.opening,
    '',
    summary === '' ? '_No summary._' : defuseMentions(truncateText(summary, maxAnswerLength)),
    ...(files.length > 0 ? ['', '**Files changed**', ...files] : []),
    '',
    '---',
    `Requested by ${input.requestedBy} · run ${inlineCode(input.runId)} · ${input.outcome.turns} turns · ${formatUsd(input.outcome.costUsd)}`,
  ].join('\n');
  return { title: input.title.trim().slice(0, 240) || 'Loom changes', body };
}

function tableCell(text: string): string {
  return inlineCode(text, 160).replace(/\|/g, '\\|');
}

export function renderCheckRun(input: { status: FinalStatus; outcome: AgentOutcome }): {
  title: string;
  summary: string;
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled';
} {
  const { outcome } = input;
  const conclusion =
    input.status === 'done' || input.status === 'answered'
      ? 'success'
      : input.status === 'cancelled'
        ? 'cancelled'
        : input.status === 'over-budget'
          ? 'neutral'
          : 'failure';
  const commands = outcome.commands.slice(0, 200);
  const rows = commands.map(
    (entry, index) =>
      `| ${index + 1} | ${tableCell(entry.command)} | ${entry.timedOut ? 'timed out' : (entry.exitCode ?? 'killed')} |`,
  );
  const summary = [
    `**${outcome.turns}** turns · **${formatUsd(outcome.costUsd)}** · **${outcome.commands.length}** commands · status ${inlineCode(input.status)}`,
    '',
    ...(rows.length > 0
      ? ['| # | command | exit code |', '| -: | --- | --: |', ...rows]
      : ['The agent ran no commands.']),
    ...(outcome.commands.length > commands.length
      ? ['', `… and ${outcome.commands.length - commands.length} more.`]
      : []),
  ].join('\n');
  return {
    title: `${outcome.turns} turns, ${formatUsd(outcome.costUsd)}, ${outcome.commands.length} commands`,
    summary,
    conclusion,
  };
}
