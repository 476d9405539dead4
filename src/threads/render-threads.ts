/** Plain-text views of threads for `loom threads` (pure: strings in, strings out). */
import type { SearchSnippet, Thread, ThreadPage, ThreadSearchPage, ThreadSummary } from './thread-types.js';

/** How a highlighted part of a snippet is shown: bold on a terminal, `[…]` in a pipe. */
export type Highlighter = (text: string) => string;

export const bracketHighlighter: Highlighter = (text) => `[${text}]`;
export const ansiBoldHighlighter: Highlighter = (text) => `\u001b[1m${text}\u001b[22m`;

export function renderThreadList(page: ThreadPage): string {
  if (page.threads.length === 0) return 'No threads.\n';
  return `${page.threads.map(summaryLine).join('\n')}\n${moreLine(page.nextCursor)}`;
}

export function renderSearchHits(
  page: ThreadSearchPage,
  highlight: Highlighter = bracketHighlighter,
): string {
  if (page.hits.length === 0) return 'No matching threads.\n';
  const blocks = page.hits.map(
    (hit) => `${summaryLine(hit.thread)}\n    ${renderSnippet(hit.snippet, highlight)}`,
  );
  return `${blocks.join('\n')}\n${moreLine(page.nextCursor)}`;
}

export function renderThread(thread: Thread): string {
  const lines = [
    `${thread.id}  v${thread.version}  ${thread.status}  ${thread.visibility}`,
    `title:   ${thread.title}`,
    `owner:   ${thread.owner}`,
    ...(thread.repository === undefined ? [] : [`repo:    ${thread.repository}`]),
    ...thread.sources.map((source) => `source:  ${JSON.stringify(source)}`),
    ...(thread.git.branch === undefined
      ? []
      : [`branch:  ${thread.git.branch} (base ${thread.git.base ?? '?'})`]),
    ...(thread.git.commits.length === 0
      ? []
      : [`commits: ${thread.git.commits.map((sha) => sha.slice(0, 12)).join(' ')}`]),
    `runs:    ${thread.runIds.length}  turns: ${thread.turns}  cost: $${thread.costUsd.toFixed(4)}`,
    `updated: ${thread.updatedAt.toISOString()}`,
    '',
  ];
  for (const message of thread.messages) {
    const label =
      message.role === 'tool' ? `tool result${message.is_error === true ? ' (error)' : ''}` : message.role;
    lines.push(
      `#${message.seq} ${label}${message.tool_call_id === undefined ? '' : ` [${message.tool_call_id}]`}:`,
    );
    if (message.content !== '') lines.push(indent(message.content));
    for (const call of message.tool_calls ?? []) {
      lines.push(`    → ${call.name} ${JSON.stringify(call.arguments)} [${call.id}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderSnippet(snippet: SearchSnippet, highlight: Highlighter): string {
  let out = '';
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    out += snippet.text.slice(at, start) + highlight(snippet.text.slice(start, end));
    at = end;
  }
  return out + snippet.text.slice(at);
}

function summaryLine(thread: ThreadSummary): string {
  const repository = thread.repository ?? '-';
  return `${thread.id}  ${thread.status.padEnd(11)}  ${repository}  ${thread.updatedAt.toISOString()}  ${thread.title}`;
}

function moreLine(nextCursor: string | undefined): string {
  return nextCursor === undefined ? '' : `More: --cursor ${nextCursor}\n`;
}

function indent(text: string): string {
  const lines = text.split('\n');
  const shown = lines.length > 40 ? [...lines.slice(0, 40), `… (${lines.length - 40} more lines)`] : lines;
  return shown.map((line) => `    ${line}`).join('\n');
}
