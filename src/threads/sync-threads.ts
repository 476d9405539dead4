import type { Logger } from '../logging/index.js';
import { isLoomError, toLoomError, type LoomError } from '../errors/index.js';
import type { ThreadsClient } from './threads-client.js';
import type { Thread, ThreadContent, ThreadRepository } from './thread-types.js';

export interface SyncThreadsOptions {
  /** The machine's own store (the REPL's threads). */
  local: ThreadRepository;
  /** The server's API (`createThreadsClient`). */
  remote: Pick<ThreadsClient, 'put'>;
  /** Threads pushed per call (default 50). */
  limit?: number;
  logger?: Logger;
}

export interface SyncReport {
  pushed: Array<{ id: string; localVersion: number; remoteVersion: number }>;
  /** Changed on the server since the last sync: left as they are on both sides, for the user to settle. */
  conflicts: string[];
  /** Not pushed this time (server down, refused, ...): tried again on the next sync. */
  failed: Array<{ id: string; error: LoomError }>;
}

/**
 * Pushes the local threads that changed since their last sync to the server: `PUT` with
 * `If-None-Match: *` the first time, then `If-Match: "<server version>"`. A `409` means the server's
 * copy moved on (another machine, an admin): it is reported and nothing is overwritten. Private
 * threads are never listed for sync (and are skipped here again), so they never leave the machine.
 * The idempotency key makes a retried push whose first answer was lost count as done, not a conflict.
 */
export async function syncThreads(options: SyncThreadsOptions): Promise<SyncReport> {
  const report: SyncReport = { pushed: [], conflicts: [], failed: [] };
  for (const thread of await options.local.listUnsynced(options.limit ?? 50)) {
    if (thread.visibility === 'private') continue;
    const remoteVersion = await options.local.remoteVersionOf(thread.id);
    try {
      const pushed = await options.remote.put(
        thread.id,
        contentOf(thread),
        remoteVersion === undefined ? { kind: 'create' } : { kind: 'replace', version: remoteVersion },
        { idempotencyKey: `sync:${thread.id}:${thread.version}:${remoteVersion ?? 0}` },
      );
      await options.local.markSynced(thread.id, thread.version, pushed.version);
      report.pushed.push({ id: thread.id, localVersion: thread.version, remoteVersion: pushed.version });
    } catch (error) {
      if (isLoomError(error, 'conflict')) {
        report.conflicts.push(thread.id);
        options.logger?.warn(
          { threadId: thread.id, remoteVersion },
          'thread changed on the server; not synced',
        );
      } else {
        report.failed.push({ id: thread.id, error: toLoomError(error) });
        options.logger?.warn({ threadId: thread.id, err: error }, 'thread sync failed; will retry');
      }
    }
  }
  return report;
}

/** What the server stores: everything but the local bookkeeping (ids, versions, message numbers). */
export function contentOf(thread: Thread): ThreadContent {
  return {
    title: thread.title,
    owner: thread.owner,
    status: thread.status,
    visibility: thread.visibility,
    ...(thread.repository === undefined ? {} : { repository: thread.repository }),
    sources: thread.sources,
    git: thread.git,
    agentState: thread.agentState,
    costUsd: thread.costUsd,
    turns: thread.turns,
    runIds: thread.runIds,
    messages: thread.messages.map(({ seq: _seq, ...message }) => message),
    createdAt: thread.createdAt,
  };
}
