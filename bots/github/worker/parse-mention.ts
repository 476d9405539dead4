/**
 * Reads what a comment asks of Loom: the text after `@{app-slug}`, and whether that text is one of
 * the commands (`stop`, `status`) rather than a task (DESIGN §4, Triggers).
 */

export type WorkerCommand = { kind: 'stop' } | { kind: 'status' } | { kind: 'task'; text: string };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text after the first `@{appSlug}` mention, or undefined when the app is not mentioned. */
export function textAfterMention(body: string, appSlug: string): string | undefined {
  const mention = new RegExp(`(^|[^\\w/-])@${escapeRegExp(appSlug)}(?![\\w-])`, 'i');
  const match = mention.exec(body);
  if (match === null) return undefined;
  return body.slice(match.index + match[0].length).trim();
}

/**
 * `stop` / `status` alone on the mention's line (any case, trailing punctuation allowed), as the
 * ingress reads it; anything else is a task.
 */
export function parseWorkerCommand(text: string): WorkerCommand {
  const word = (text.trim().split('\n')[0] ?? '')
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, '');
  if (word === 'stop') return { kind: 'stop' };
  if (word === 'status') return { kind: 'status' };
  return { kind: 'task', text };
}
