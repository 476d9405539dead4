/**
 * The BullMQ processor function every Loom worker runs: it wraps a `JobProcessor` with the run
 * lifecycle (create, mark started, journal, finish), payload validation, and the mapping from
 * Loom's errors to BullMQ's retry semantics:
 * - invalid payload or non-retryable `LoomError` → `UnrecoverableError` (fails once, no retry);
 * - retryable error with attempts left → rethrown, BullMQ retries with the job's backoff;
 * - shutdown → the job is moved back to `wait` at once (`WaitingError`), so another worker resumes it
 *   from its journal without waiting for the lock to expire.
 */
import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { LoomError } from '../src/errors/index.js';
import type { Logger } from '../src/logging/index.js';
import type { RunStatus } from '../src/store/store-types.js';
import { decideJobFailure, type JobFailureDecision } from './decide-job-failure.js';
import { refusalReason } from './decide-outbox-action.js';
import { parseJobPayload, type JobName } from './job-contracts.js';
import type {
  JobContext,
  JobFinishedObserver,
  JobOutcome,
  JobProcessor,
  JobProcessors,
  JobResult,
} from './job-processor.js';
import { deliveryIdOf, failureReason, markRequest, runIdForJob, type WorkerStore } from './run-records.js';

/** Shared between a worker and `stopWorker`. */
export interface ShutdownState {
  /** Aborted when the worker stops waiting for its jobs to finish. */
  signal: AbortSignal;
  /** Set when the worker was force-closed: a late result is dropped, the job runs again elsewhere. */
  forced: boolean;
}

export interface JobHandlerDeps {
  processors: JobProcessors;
  store: WorkerStore;
  logger: Logger;
  shutdown: ShutdownState;
  onJobFinished?: JobFinishedObserver;
}

type BullJob = Job<unknown, JobResult, string>;

export function createJobHandler(deps: JobHandlerDeps) {
  return async function handleJob(
    job: BullJob,
    token?: string,
    cancelSignal?: AbortSignal,
  ): Promise<JobResult> {
    const startedAt = Date.now();
    const observe = (outcome: JobOutcome) =>
      deps.onJobFinished?.({ jobName: job.name, outcome, durationMs: Date.now() - startedAt });
    const jobId = job.id;
    if (jobId === undefined) throw new UnrecoverableError('job has no id');
    const deliveryId = deliveryIdOf(job.data);
    const runId = runIdForJob(jobId);
    const logger = deps.logger.child({ jobId, jobName: job.name, runId });
    const existing = await deps.store.runs.create({
      id: runId,
      jobId,
      jobName: job.name,
      ...(deliveryId ? { deliveryId } : {}),
    });
    if (isFinal(existing.status)) {
      // A copy of a job that already ran to the end: re-added by the outbox reconciler after BullMQ
      // removed the original, or recovered after a crash between the run's end and BullMQ's. Its
      // outcome stands; running it again would repeat its side effects.
      logger.info({ runStatus: existing.status }, 'run already finished; this copy of the job does nothing');
      observe('completed');
      return existing.result ?? {};
    }
    const run = await deps.store.runs.markStarted(runId);
    const signal = cancelSignal
      ? AbortSignal.any([deps.shutdown.signal, cancelSignal])
      : deps.shutdown.signal;
    try {
      const payload = parseJobPayload(job.name, job.data);
      // parseJobPayload accepted the name, so it is a JobName.
      const processor = deps.processors[job.name as JobName] as JobProcessor<JobName> | undefined;
      if (processor === undefined) {
        throw new LoomError('internal', `this worker has no processor for "${job.name}" jobs`);
      }
      await markRequest({ store: deps.store, logger }, deliveryId, 'running');
      const context: JobContext = {
        jobId,
        runId,
        jobName: job.name as JobName,
        attempt: job.attemptsStarted,
        failedAttempts: job.attemptsMade,
        progress: run.progress,
        saveProgress: async (progress) => {
          await deps.store.runs.saveProgress(runId, progress);
        },
        signal,
        logger,
      };
      const result = await processor(payload, context);
      if (deps.shutdown.forced) throw new LoomError('cancelled', 'worker was force-closed; result dropped');
      await deps.store.runs.finish(runId, 'done', { result });
      // A processor that declined the request (no permission, ...) says so with `outcome: 'refused'`:
      // the run finished, but the request is `refused`, not `done`.
      if (result.outcome === 'refused') {
        await markRequest({ store: deps.store, logger }, deliveryId, 'refused', refusalReason(result));
      } else {
        await markRequest({ store: deps.store, logger }, deliveryId, 'done');
      }
      observe('completed');
      return result;
    } catch (error) {
      const decision = decideJobFailure({
        error,
        shuttingDown: deps.shutdown.signal.aborted,
        cancelled: cancelSignal?.aborted === true,
        failedAttempts: job.attemptsMade,
        attempts: job.opts.attempts ?? 1,
      });
      observe(outcomeOf(decision));
      throw await applyDecision({ deps, logger, job, token, runId, deliveryId, error, decision });
    }
  };
}

function isFinal(status: RunStatus): boolean {
  return status !== 'queued' && status !== 'running';
}

function outcomeOf(decision: JobFailureDecision): JobOutcome {
  if (decision.action === 'release') return 'released';
  if (decision.action === 'retry') return 'retrying';
  return decision.runStatus === 'cancelled' ? 'cancelled' : 'failed';
}

interface ApplyDecisionInput {
  deps: JobHandlerDeps;
  logger: Logger;
  job: BullJob;
  token: string | undefined;
  runId: string;
  deliveryId: string | undefined;
  error: unknown;
  decision: JobFailureDecision;
}

/** Performs the decision and returns the error BullMQ should see. */
async function applyDecision(input: ApplyDecisionInput): Promise<unknown> {
  const { deps, logger, job, token, error, decision } = input;
  if (deps.shutdown.forced) return error;
  if (decision.action === 'release') {
    if (token === undefined) return error;
    await job.moveToWait(token);
    logger.info('job released to the queue at shutdown');
    return new WaitingError();
  }
  if (decision.action === 'retry') {
    logger.warn({ err: error, failedAttempts: job.attemptsMade + 1 }, 'job attempt failed; will retry');
    return error;
  }
  const reason = failureReason(error);
  await deps.store.runs.finish(input.runId, decision.runStatus, { error: reason });
  await markRequest({ store: deps.store, logger }, input.deliveryId, 'failed', reason);
  logger.warn({ err: error, runStatus: decision.runStatus }, 'job failed for good');
  if (!decision.unrecoverable || error instanceof UnrecoverableError) return error;
  return new UnrecoverableError(reason);
}
