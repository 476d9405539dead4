/**
 * The run's place in its conversation (src/threads): a later mention on the same issue or PR loads
 * the transcript so far and continues it (issue 5 item 4); each run appends its messages once, and
 * the PR Loom opens is linked to the same thread, so a mention on that PR continues it too.
 */
import { isLoomError, LoomError } from '../../../src/errors/index.js';
import type { ChatMessage } from '../../../src/llm/index.js';
import type { Logger } from '../../../src/logging/index.js';
import type { Thread, ThreadPatch, ThreadRepository, ThreadSource } from '../../../src/threads/index.js';

export function githubSource(
  owner: string,
  repo: string,
  number: number,
  isPullRequest: boolean,
): ThreadSource {
  return {
    kind: 'github',
    repository: `${owner}/${repo}`,
    number,
    type: isPullRequest ? 'pull_request' : 'issue',
  };
}

/** The transcript a run continues: every message of the conversation's thread, in order. */
export async function loadConversation(
  threads: ThreadRepository | undefined,
  source: ThreadSource,
): Promise<{ thread: Thread | undefined; messages: ChatMessage[] }> {
  const thread = await threads?.findBySource(source);
  if (thread === undefined) return { thread: undefined, messages: [] };
  const messages = thread.messages.map(({ role, content, tool_calls, tool_call_id, is_error }) => ({
    role,
    content,
    ...(tool_calls === undefined ? {} : { tool_calls }),
    ...(tool_call_id === undefined ? {} : { tool_call_id }),
    ...(is_error === undefined ? {} : { is_error }),
  }));
  return { thread, messages };
}

export interface RecordRunInput {
  threads: ThreadRepository;
  source: ThreadSource;
  runId: string;
  title: string;
  owner: string;
  /** The messages this run added (the transcript minus what it was resumed from). */
  messages: ChatMessage[];
  patch: Omit<ThreadPatch, 'runId'>;
  logger: Logger;
}

/**
 * Appends the run's messages once: a thread that already lists the run (a retried report) is left
 * as it is. Concurrent writers are handled by reloading on `conflict`. Returns the thread id.
 */
export async function recordRunInThread(input: RecordRunInput): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    let thread = await input.threads.findBySource(input.source);
    thread ??= await input.threads
      .create({ title: input.title, owner: input.owner, sources: [input.source], status: 'running' })
      .catch(async (error: unknown) => {
        // Another worker created it first: use theirs.
        if (!isLoomError(error, 'conflict')) throw error;
        return input.threads.findBySource(input.source);
      });
    if (thread === undefined) {
      if (attempt >= 5) throw new LoomError('conflict', 'could not find or create the conversation thread');
      continue;
    }
    if (thread.runIds.includes(input.runId)) return thread.id;
    try {
      const patch: ThreadPatch = {
        ...input.patch,
        costUsd: thread.costUsd + (input.patch.costUsd ?? 0),
        turns: thread.turns + (input.patch.turns ?? 0),
        runId: input.runId,
      };
      await input.threads.appendMessages(thread.id, thread.version, input.messages, patch, {
        writeId: `${input.runId}:messages`,
      });
      return thread.id;
    } catch (error) {
      if (!isLoomError(error, 'conflict') || attempt >= 5) throw error;
      input.logger.debug({ threadId: thread.id }, 'thread changed meanwhile; appending again');
    }
  }
}

/** Records the branch's new commit and PR, and links the PR as a source of the same thread. */
export async function recordPublishedWork(input: {
  threads: ThreadRepository;
  threadId: string;
  commit: string | undefined;
  pullRequest: { number: number } | undefined;
  repository: string;
  logger: Logger;
}): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const thread = await input.threads.get(input.threadId);
    if (thread === undefined) return;
    const commits =
      input.commit === undefined || thread.git.commits.includes(input.commit)
        ? thread.git.commits
        : [...thread.git.commits, input.commit];
    try {
      await input.threads.update(thread.id, thread.version, {
        git: { commits, ...(input.pullRequest ? { pullRequest: input.pullRequest.number } : {}) },
      });
      break;
    } catch (error) {
      if (!isLoomError(error, 'conflict')) throw error;
    }
  }
  if (input.pullRequest === undefined) return;
  try {
    await input.threads.linkSource(input.threadId, {
      kind: 'github',
      repository: input.repository,
      number: input.pullRequest.number,
      type: 'pull_request',
    });
  } catch (error) {
    // The PR already belongs to another conversation (someone mentioned Loom there first).
    if (!isLoomError(error, 'conflict')) throw error;
    input.logger.info({ pullRequest: input.pullRequest.number }, 'pull request already has its own thread');
  }
}
