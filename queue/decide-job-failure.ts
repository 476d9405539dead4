/**
 * What to do with an attempt that threw, as a pure decision: release the job (the worker is shutting
 * down), let BullMQ retry it with backoff (retryable error, attempts left), or fail it for good.
 * Retryability comes from `LoomError.retryable`, never from a message. Errors that are not LoomErrors
 * (a library's network error, say) count as retryable: the attempt limit bounds them.
 */
import { UnrecoverableError } from 'bullmq';
import { isLoomError, type LoomErrorCode } from '../src/errors/index.js';
import type { RunStatus } from '../src/store/store-types.js';

export type FinalRunStatus = Extract<RunStatus, 'failed' | 'cancelled' | 'over-budget'>;

export type JobFailureDecision =
  | { action: 'release' }
  | { action: 'retry' }
  | { action: 'fail'; runStatus: FinalRunStatus; unrecoverable: boolean };

export interface JobFailureFacts {
  error: unknown;
  /** The worker's shutdown signal fired: the job goes back to the queue, no attempt is used. */
  shuttingDown: boolean;
  /** The job itself was cancelled (BullMQ `cancelJob`, the `stop` command). */
  cancelled: boolean;
  /** Failed attempts before this one. */
  failedAttempts: number;
  /** Attempts allowed in total. */
  attempts: number;
}

function runStatusForCode(code: LoomErrorCode): FinalRunStatus {
  if (code === 'cancelled') return 'cancelled';
  if (code === 'budget_exceeded') return 'over-budget';
  return 'failed';
}

export function decideJobFailure(facts: JobFailureFacts): JobFailureDecision {
  if (facts.cancelled) return { action: 'fail', runStatus: 'cancelled', unrecoverable: true };
  if (facts.shuttingDown) return { action: 'release' };
  if (facts.error instanceof UnrecoverableError) {
    return { action: 'fail', runStatus: 'failed', unrecoverable: true };
  }
  if (isLoomError(facts.error) && !facts.error.retryable) {
    return { action: 'fail', runStatus: runStatusForCode(facts.error.code), unrecoverable: true };
  }
  if (facts.failedAttempts + 1 < facts.attempts) return { action: 'retry' };
  return { action: 'fail', runStatus: 'failed', unrecoverable: false };
}
