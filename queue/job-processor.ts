/** What a job processor is: a function of a validated payload and a context, nothing BullMQ-shaped. */
import type { Logger } from '../src/logging/index.js';
import type { JobName, JobPayload } from './job-contracts.js';

export interface JobContext {
  jobId: string;
  runId: string;
  jobName: JobName;
  /** Starts of this job so far, this one included (retries, stall recoveries and releases count). */
  attempt: number;
  /** Attempts that failed before this one (what the retry policy counts). */
  failedAttempts: number;
  /** The progress journal the previous attempt saved; `{}` on a first start. */
  progress: Readonly<Record<string, unknown>>;
  /**
   * Replaces the journal (JSON-serializable). Save after every step that must not be redone, so a
   * run resumed after a crash or a shutdown skips it.
   */
  saveProgress(progress: Record<string, unknown>): Promise<void>;
  /**
   * Aborted when the worker shuts down (checkpoint and return/throw: the job is released to another
   * worker) or when the job is cancelled.
   */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * A result must be JSON-serializable; it is stored on the run and in BullMQ. `outcome: 'refused'`
 * (with an optional `reason` string) marks the request `refused` in the ledger instead of `done`.
 */
export type JobResult = Record<string, unknown>;

export type JobProcessor<N extends JobName> = (
  payload: JobPayload<N>,
  context: JobContext,
) => Promise<JobResult>;

/** Processors by job name; a worker may handle only some jobs. */
export type JobProcessors = { [N in JobName]?: JobProcessor<N> };

/** How one attempt ended, for metrics. */
export type JobOutcome = 'completed' | 'failed' | 'cancelled' | 'retrying' | 'released';

export interface JobFinishedEvent {
  jobName: string;
  outcome: JobOutcome;
  durationMs: number;
}

/** Hook the server's metrics use to observe job durations (histogram by name and outcome). */
export type JobFinishedObserver = (event: JobFinishedEvent) => void;
