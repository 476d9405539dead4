/** Messages between the store and its SQLite usage-writer thread (usage-writer-worker.ts). */
import type { LoomErrorCode } from '../../errors/index.js';
import type { UsageEvent } from '../../proxy/index.js';

/** What the thread is started with. */
export interface UsageWriterData {
  file: string;
}

export type UsageWriterCommand =
  /** A slice of the batch whose `record` carries the same id: kept by the thread until then; not answered. */
  | { type: 'append'; events: readonly UsageEvent[] }
  /** A batch's last slice: its appended slices and these events are written in one transaction. */
  | { type: 'record'; events: readonly UsageEvent[] }
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
