/**
 * The store side of a job: its `runs` row and the status of the request (delivery) it came from.
 * Ledger updates are best effort: the ledger is for deduplication and the outbox, and a job must not
 * fail because its bookkeeping did.
 */
import type { Logger } from '../src/logging/index.js';
import type { RequestLedger, RequestStatus, RunRepository } from '../src/store/store-types.js';
import type { FinalRunStatus } from './decide-job-failure.js';

/** The store parts a worker needs. */
export interface WorkerStore {
  runs: RunRepository;
  requests: RequestLedger;
}

/** One run per job, whatever the number of attempts: the id is derived from the job id. */
export function runIdForJob(jobId: string): string {
  return `R-${jobId}`;
}

/** The delivery id a payload carries, read before validation (the run is recorded either way). */
export function deliveryIdOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>).deliveryId;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export async function markRequest(
  deps: { store: WorkerStore; logger: Logger },
  deliveryId: string | undefined,
  status: RequestStatus,
  reason?: string,
): Promise<void> {
  if (deliveryId === undefined) return;
  try {
    await deps.store.requests.setStatus(deliveryId, status, reason === undefined ? undefined : { reason });
  } catch (error) {
    deps.logger.warn({ err: error, deliveryId, status }, 'could not update request status');
  }
}

/** Short, single-line reason for the ledger and the run. */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.slice(0, 500) ?? '';
}

/**
 * Records a failure BullMQ decided without running the processor (e.g. `maxStartedAttempts`):
 * finishes the run and marks the request failed, unless the run is already final (the handler
 * recorded the failure itself).
 */
export async function recordFailureOutsideProcessor(
  deps: { store: WorkerStore; logger: Logger },
  job: { id: string; name: string; data: unknown },
  error: unknown,
  status: FinalRunStatus = 'failed',
): Promise<void> {
  const deliveryId = deliveryIdOf(job.data);
  const run =
    (await deps.store.runs.getByJobId(job.id)) ??
    (await deps.store.runs.create({
      id: runIdForJob(job.id),
      jobId: job.id,
      jobName: job.name,
      ...(deliveryId === undefined ? {} : { deliveryId }),
    }));
  if (run.status !== 'queued' && run.status !== 'running') return;
  await deps.store.runs.finish(run.id, status, { error: failureReason(error) });
  await markRequest(deps, deliveryId, 'failed', failureReason(error));
}
