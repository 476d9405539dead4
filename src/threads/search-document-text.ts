import type { ChatMessage, ToolCall } from '../llm/llm-types.js';
import { maxIndexedChars } from './search-terms.js';
import { threadSourceKey } from './thread-source-key.js';
import type { ThreadGit, ThreadSource } from './thread-types.js';

/**
 * The searchable text of a message: its content and, for tool calls, the tool's name and the values
 * of its arguments (the paths, patterns and commands the model used; not the JSON keys). The same
 * text feeds the index and the snippet, so a snippet always shows what matched.
 */
export function messageSearchText(message: ChatMessage): string {
  const calls = (message.tool_calls ?? []).map(toolCallText);
  return [message.content, ...calls]
    .filter((part) => part !== '')
    .join('\n')
    .slice(0, maxIndexedChars);
}

/** The searchable text of a thread itself: title, repository, branch, commits and sources. */
export function threadMetaSearchText(thread: {
  title: string;
  repository: string | undefined;
  git: ThreadGit;
  sources: ThreadSource[];
}): string {
  const { git } = thread;
  return [
    thread.title,
    thread.repository,
    git.branch,
    git.base,
    ...git.commits,
    git.pullRequest === undefined ? undefined : `#${git.pullRequest}`,
    ...thread.sources.map(threadSourceKey),
  ]
    .filter((part): part is string => part !== undefined && part !== '')
    .join('\n');
}

function toolCallText(call: ToolCall): string {
  return [call.name, ...leafValues(call.arguments)].join(' ');
}

function leafValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(leafValues);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(leafValues);
  return [];
}
