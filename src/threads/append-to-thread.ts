import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { isLoomError, LoomError } from '../errors/index.js';
import type { NewThreadMessage, Thread, ThreadPatch, ThreadRepository } from './thread-types.js';

export interface AppendToThreadOptions {
  /** Attempts in all (default 6): version conflicts and retryable store errors both use one. */
  attempts?: number;
  /** Same id for every attempt (default: a new UUID), so a write that landed is never repeated. */
  writeId?: string;
  /** Wait before retrying after a retryable store error (default 200 ms × 2^n, at most 5 s). */
  backoffMs?: (attempt: number) => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Appends messages to a thread the way a worker or the REPL should: it reads the thread, applies the
 * patch to what it read (`patch` may be a function of the thread, e.g. to add a run's cost), and
 * writes with the thread's version.
 * - A version conflict (another writer came first) re-reads and re-applies: appends commute.
 * - A retryable store error (RELIABILITY 34: database restarted or cut mid-write) retries the same
 *   write with the same write id, so a first attempt that did commit is recognized, not duplicated.
 * - Anything else, or attempts used up, is thrown: reported, never silently lost.
 */
export async function appendToThread(
  threads: ThreadRepository,
  id: string,
  messages: NewThreadMessage[],
  patch: ThreadPatch | ((thread: Thread) => ThreadPatch) = {},
  options: AppendToThreadOptions = {},
): Promise<Thread> {
  const attempts = options.attempts ?? 6;
  const writeId = options.writeId ?? randomUUID();
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const backoff = options.backoffMs ?? ((attempt: number) => Math.min(200 * 2 ** attempt, 5000));
  let thread: Thread | undefined;
  for (let attempt = 1; ; attempt += 1) {
    try {
      thread ??= await requireThread(threads, id);
      const changes = typeof patch === 'function' ? patch(thread) : patch;
      return await threads.appendMessages(id, thread.version, messages, changes, { writeId });
    } catch (error) {
      if (attempt >= attempts || !isLoomError(error)) throw error;
      if (error.code === 'conflict') {
        thread = undefined; // re-read, then re-apply on the newer version
      } else if (error.retryable) {
        await sleep(backoff(attempt));
      } else {
        throw error;
      }
    }
  }
}

async function requireThread(threads: ThreadRepository, id: string): Promise<Thread> {
  const thread = await threads.get(id);
  if (thread === undefined)
    throw new LoomError('not_found', `no thread with id ${id}`, { details: { threadId: id } });
  return thread;
}
