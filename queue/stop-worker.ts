/**
 * Graceful shutdown of a worker within a deadline (RELIABILITY 26):
 * 1. stop fetching and wait for the running jobs (`worker.pause()`, which also cuts the blocking
 *    fetch so no job starts after the signal);
 * 2. near the deadline, abort the jobs' signals: processors checkpoint and their jobs go back to the
 *    queue at once (see `createJobHandler`);
 * 3. at the deadline, force-close: jobs still running keep their lock until it expires, then another
 *    worker's stalled check takes them (RELIABILITY 25).
 * `close(true)` ends every path: with no job left it only skips the QUIT round trip, and it cannot
 * hang on a Redis that is down.
 */
import type { LoomWorker } from './create-worker.js';

/** `drained`: jobs finished in time; `aborted`: they returned after their signal; `forced`: neither. */
export type StopWorkerOutcome = 'drained' | 'aborted' | 'forced';

export interface StopWorkerOptions {
  /** Time kept at the end of `timeoutMs` for aborted jobs to release (default: a quarter, ≤ 2 s). */
  releaseGraceMs?: number;
}

function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), Math.max(0, ms));
    work.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

export async function stopWorker(
  loomWorker: LoomWorker,
  timeoutMs: number,
  options: StopWorkerOptions = {},
): Promise<StopWorkerOutcome> {
  const releaseGraceMs = options.releaseGraceMs ?? Math.min(2000, Math.floor(timeoutMs / 4));
  const { worker, logger } = loomWorker;
  const drained = worker.pause();
  let outcome: StopWorkerOutcome = 'drained';
  if (!(await settlesWithin(drained, timeoutMs - releaseGraceMs))) {
    logger.info({ timeoutMs }, 'jobs still running at shutdown; asking them to checkpoint');
    loomWorker.abortJobsForShutdown();
    outcome = (await settlesWithin(drained, releaseGraceMs)) ? 'aborted' : 'forced';
  }
  if (outcome === 'forced') {
    logger.warn('jobs did not stop in time; force-closing (they will be recovered as stalled)');
    loomWorker.markForced();
  }
  await worker.close(true);
  return outcome;
}
