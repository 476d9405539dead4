/**
 * A Loom worker: a BullMQ `Worker` running `createJobHandler` on its own patient Redis connections,
 * with the stall and restart limits as values. Stop it with `stopWorker`.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Logger } from '../src/logging/index.js';
import { createJobHandler, type ShutdownState } from './create-job-handler.js';
import { defaultQueueName } from './create-job-queue.js';
import { defaultWorkerLimits, type WorkerLimits } from './job-options.js';
import type { JobFinishedObserver, JobProcessors, JobResult } from './job-processor.js';
import { workerConnectionOptions, type RedisConnectionSettings } from './redis-connection.js';
import { recordFailureOutsideProcessor, type WorkerStore } from './run-records.js';

export interface CreateWorkerOptions extends Partial<WorkerLimits> {
  connection: RedisConnectionSettings;
  queueName?: string;
  /** Jobs run in parallel by this worker (`LOOM_WORKER_CONCURRENCY`). */
  concurrency: number;
  processors: JobProcessors;
  store: WorkerStore;
  logger: Logger;
  onJobFinished?: JobFinishedObserver;
  /**
   * Name in BullMQ's worker list; also ends the name of the worker's blocking connection
   * (`bull:<queue>:w:<name>`). Defaults to `connection.connectionName`.
   */
  workerName?: string;
}

export interface LoomWorker {
  readonly worker: Worker<unknown, JobResult, string>;
  readonly queueName: string;
  readonly logger: Logger;
  /** Aborts every running job's signal: processors checkpoint, the jobs are released. */
  abortJobsForShutdown(): void;
  /** Marks the worker force-closed: results that arrive later are dropped. */
  markForced(): void;
}

/** Starts a worker; it begins taking jobs as soon as Redis answers. */
export function createWorker(options: CreateWorkerOptions): LoomWorker {
  const limits: WorkerLimits = {
    lockDuration: options.lockDuration ?? defaultWorkerLimits.lockDuration,
    stalledInterval: options.stalledInterval ?? defaultWorkerLimits.stalledInterval,
    maxStalledCount: options.maxStalledCount ?? defaultWorkerLimits.maxStalledCount,
    maxStartedAttempts: options.maxStartedAttempts ?? defaultWorkerLimits.maxStartedAttempts,
  };
  const queueName = options.queueName ?? defaultQueueName;
  const logger = options.logger.child({ queueName });
  const shutdownController = new AbortController();
  const shutdown: ShutdownState = { signal: shutdownController.signal, forced: false };
  const handler = createJobHandler({
    processors: options.processors,
    store: options.store,
    logger,
    shutdown,
    ...(options.onJobFinished ? { onJobFinished: options.onJobFinished } : {}),
  });
  const worker = new Worker<unknown, JobResult, string>(queueName, handler, {
    connection: workerConnectionOptions(options.connection),
    name: options.workerName ?? options.connection.connectionName,
    concurrency: options.concurrency,
    ...limits,
  });
  worker.on('error', (error) => logger.warn({ err: error }, 'worker error'));
  worker.on('stalled', (jobId) => logger.warn({ jobId }, 'stalled job moved back to the queue'));
  worker.on('failed', (job, error) => {
    if (job !== undefined) void recordBullmqFailure({ store: options.store, logger }, job, error);
  });
  return {
    worker,
    queueName,
    logger,
    abortJobsForShutdown: () => shutdownController.abort(new Error('worker shutting down')),
    markForced: () => {
      shutdown.forced = true;
    },
  };
}

/**
 * BullMQ fails some jobs without calling the processor (`maxStartedAttempts`); those reach us only
 * as a `failed` event. Failures the handler made itself are already final on the run and skipped.
 */
async function recordBullmqFailure(
  deps: { store: WorkerStore; logger: Logger },
  job: Job<unknown, JobResult, string>,
  error: Error,
): Promise<void> {
  if (job.id === undefined || !(error instanceof UnrecoverableError)) return;
  try {
    await recordFailureOutsideProcessor(deps, { id: job.id, name: job.name, data: job.data }, error);
  } catch (recordError) {
    deps.logger.error({ err: recordError, jobId: job.id }, 'could not record job failure');
  }
}
