/**
 * What the outbox reconciler does with one accepted, unfinished request, given what Redis and the
 * runs table say about its job. Pure, so every case is a unit test. The job state is read before the
 * run: a run is recorded final before BullMQ completes (and may later remove) the job, so a missing
 * job with a non-final run really was lost, not finished in between.
 */
import type { RequestRecord, RequestStatus, RunRecord } from '../src/store/store-types.js';

export type OutboxAction =
  /** The job is in Redis (any state), or may still be held by a worker: leave it. */
  | { action: 'keep'; reason: string; markEnqueued: boolean }
  /** The job is gone and never ran to the end: add it again from the stored job, same id. */
  | { action: 're-enqueue' }
  /** The job is gone because it ran to the end; only the ledger lagged behind (best-effort update). */
  | { action: 'settle'; status: Extract<RequestStatus, 'done' | 'failed' | 'refused'>; reason?: string }
  /** A `received` row without a stored job (before migration 0007): forget it so a redelivery runs. */
  | { action: 'forget' };

export interface OutboxFacts {
  request: Pick<RequestRecord, 'status' | 'job'>;
  /** False when the job id is in no BullMQ state (never added, lost, or removed after finishing). */
  jobExists: boolean;
  run: Pick<RunRecord, 'status' | 'updatedAt' | 'result' | 'error'> | undefined;
  now: Date;
  /**
   * A `running` run whose journal changed more recently than this may still be running on a worker
   * that lost its job key with Redis; re-adding it then would run it twice at once.
   */
  quietRunMs: number;
}

export function decideOutboxAction(facts: OutboxFacts): OutboxAction {
  const { request, run } = facts;
  if (facts.jobExists) {
    return { action: 'keep', reason: 'job is in the queue', markEnqueued: request.status === 'received' };
  }
  if (run !== undefined && run.status !== 'queued' && run.status !== 'running') {
    if (run.status === 'done') {
      return run.result?.outcome === 'refused'
        ? { action: 'settle', status: 'refused', reason: refusalReason(run.result) }
        : { action: 'settle', status: 'done' };
    }
    return { action: 'settle', status: 'failed', reason: run.error ?? run.status };
  }
  if (request.job === undefined) {
    return request.status === 'received'
      ? { action: 'forget' }
      : { action: 'keep', reason: 'no stored job to re-create', markEnqueued: false };
  }
  if (run?.status === 'running' && facts.now.getTime() - run.updatedAt.getTime() < facts.quietRunMs) {
    return { action: 'keep', reason: 'run was active recently', markEnqueued: false };
  }
  return { action: 're-enqueue' };
}

/** The reason a processor gave for refusing, if any. */
export function refusalReason(result: Record<string, unknown> | undefined): string {
  const reason = result?.reason;
  return typeof reason === 'string' && reason !== '' ? reason : 'refused';
}
