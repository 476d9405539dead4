/**
 * The final message of a run: the answer, the pull request link, or why it stopped. Posted once per
 * run, in the thread, under the status message.
 */
import type { RunOutcome } from './run-reporter.js';
import { inlineCode } from './render-slack-status.js';

/** Slack accepts 40,000 characters; long answers are cut well before, with a note. */
export const maxFinalMessageLength = 12_000;

function clip(text: string): string {
  if (text.length <= maxFinalMessageLength) return text;
  return `${text.slice(0, maxFinalMessageLength)}\n… _(answer cut at ${maxFinalMessageLength} characters)_`;
}

export function renderSlackFinal(outcome: RunOutcome): string {
  const parts: string[] = [];
  const answer = outcome.answer?.trim();
  switch (outcome.status) {
    case 'done':
      parts.push(
        outcome.pullRequestUrl === undefined
          ? ':white_check_mark: Done.'
          : `:white_check_mark: Done: ${outcome.pullRequestUrl}`,
      );
      break;
    case 'answered':
      break;
    case 'failed':
      parts.push(`:x: I could not finish: ${outcome.reason ?? 'the run failed'}.`);
      break;
    case 'cancelled':
      parts.push(':black_square_for_stop: Stopped as asked.');
      break;
    case 'over-budget':
      parts.push(
        `:money_with_wings: I stopped at the budget${outcome.reason ? ` (${outcome.reason})` : ''}.`,
      );
      break;
  }
  if (outcome.branch !== undefined && outcome.status !== 'done') {
    parts.push(`Partial work is on ${inlineCode(outcome.branch, 100)}.`);
  }
  if (answer !== undefined && answer !== '') parts.push(clip(answer));
  return parts.length === 0 ? ':white_check_mark: Done.' : parts.join('\n\n');
}
