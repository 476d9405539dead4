/**
 * Retry and retention policy of Loom's jobs, as values (BullMQ job options), so a reader sees the
 * whole policy in one place and tests can shorten it.
 */
import type { BackoffOptions, JobsOptions } from 'bullmq';

/** `true` removes at once, a number keeps that many, `{ age, count }` keeps by age (s) and count. */
export type Retention = NonNullable<JobsOptions['removeOnComplete']>;

export interface JobPolicy {
  /** Attempts in total, the first included; retryable failures use the rest. */
  attempts: number;
  /** Delay between retryable failures: exponential, `delay * 2^(attempt-1)`. */
  backoff: BackoffOptions;
  /**
   * How long finished jobs stay in Redis. Deduplication beyond this window is the `requests`
   * ledger's job, not BullMQ's.
   */
  removeOnComplete: Retention;
  removeOnFail: Retention;
}

/** Defaults: 3 attempts, 5 s then 10 s backoff, completed jobs kept a day, failed ones a week. */
export const defaultJobPolicy: JobPolicy = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 60 * 60, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 60 * 60, count: 5_000 },
};

/** Worker-side limits against jobs that never finish. */
export interface WorkerLimits {
  /** A worker holds a job's lock this long and renews it at half time (ms). */
  lockDuration: number;
  /** How often a worker looks for jobs whose lock expired (dead worker), in ms. */
  stalledInterval: number;
  /** Stall recoveries allowed before BullMQ fails the job. */
  maxStalledCount: number;
  /**
   * Starts allowed in total (retries, stall recoveries and shutdown releases all count); a job that
   * keeps crashing its worker is failed with `UnrecoverableError` on the next start.
   */
  maxStartedAttempts: number;
}

/**
 * Defaults: BullMQ's 30 s lock and stall check. `maxStalledCount` is kept at `maxStartedAttempts`
 * so the start limit is the one that stops a crash loop: BullMQ reports that failure to the worker,
 * which records it on the run; a stall-limit failure happens inside a Redis script and would not be.
 */
export const defaultWorkerLimits: WorkerLimits = {
  lockDuration: 30_000,
  stalledInterval: 30_000,
  maxStalledCount: 6,
  maxStartedAttempts: 6,
};
