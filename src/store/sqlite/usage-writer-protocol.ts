/** Messages between the store and its SQLite usage-writer thread (usage-writer-worker.ts). */
import type { LoomErrorCode } from '../../errors/index.js';
import type { UsageEvent } from '../../proxy/index.js';

/** What the thread is started with. */
export interface UsageWriterData {
  file: string;
  /** Whether the thread should move itself to `SCHED_IDLE` (idle-thread-priority.ts). */
  idlePriority: boolean;
  /** Shared with the store: the thread sets `[0]` to 1 once it runs at idle priority. */
  atIdlePriority: Int32Array;
}

/**
 * A batch's claim, shared by the store and the thread (`Atomics.compareExchange` on `[0]`): the
 * thread claims a batch before writing any of it, and the store may withdraw one nobody claimed yet
 * to write it elsewhere. Whoever moves it off `unclaimed` first decides, so a batch is written once.
 */
export const batchClaim = { unclaimed: 0, claimed: 1, withdrawn: 2 } as const;

export type UsageWriterCommand =
  /** A slice of the batch whose `record` carries the same id: kept by the thread until then; not answered. */
  | { type: 'append'; events: readonly UsageEvent[] }
  /**
   * A batch's last slice: its appended slices and these events are written in one transaction, once
   * the thread has claimed the batch (`claim`, see `batchClaim`); a withdrawn batch is dropped unanswered.
   */
  | { type: 'record'; events: readonly UsageEvent[]; claim: Int32Array }
  /** Finish what was asked, close the connection, answer, and let the thread end. */
  | { type: 'close' };

/** A command with the id its reply carries. */
export type UsageWriterRequest = UsageWriterCommand & { id: number };

/** A LoomError as it crosses the thread boundary (structured clone keeps only an Error's message). */
export interface SerializedLoomError {
  code: LoomErrorCode;
  message: string;
  retryable: boolean;
  details: Record<string, unknown>;
}

export type UsageWriterReply =
  { id: number; ok: true } | { id: number; ok: false; error: SerializedLoomError };
