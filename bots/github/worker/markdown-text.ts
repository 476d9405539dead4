/** Small helpers for the Markdown Loom writes to GitHub. */

/** Dollars with enough digits to show small runs: `$0.0042`, `$1.27`. */
export function formatUsd(amount: number): string {
  return `$${amount.toFixed(amount < 1 ? 4 : 2)}`;
}

/** Text as one inline code span, whatever backticks it holds; newlines become spaces. */
export function inlineCode(text: string, maxLength = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
  const longestRun = Math.max(0, ...(cut.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = cut.startsWith('`') || cut.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${cut}${pad}${fence}`;
}

/** Cuts long text (an agent's answer) to what a comment can hold, saying so. */
export function truncateText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return `${text.slice(0, maxLength)}\n\n… (truncated)`;
}

/**
 * Neutralizes `@mentions` in text Loom did not write (an agent's answer quoting a comment), so a
 * posted summary cannot ping people or trigger another app. A zero-width joiner keeps it readable.
 */
export function defuseMentions(text: string): string {
  return text.replace(/(^|[^\w`])@([A-Za-z0-9][\w-]*)/g, '$1@\u200d$2');
}
