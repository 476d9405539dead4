/**
 * One pass of the outbox reconciler (RELIABILITY 29, 30). A request the ledger accepted but that has
 * not finished must have its job in Redis. Redis can lose a job it acknowledged: a crash with AOF
 * `everysec` drops up to a second of writes, and a failover can promote a replica that never saw them.
 * The pass pages through such requests (older than a grace period, so an enqueue in flight is left
 * alone), asks Redis for each job by its deterministic id, and re-adds a missing one from the job
 * stored with the request, under the same id: a concurrent pass adding it too is a no-op in BullMQ,
 * and a copy of a job that already ran to the end is a no-op in the worker (its run is final).
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../src/logging/index.js';
import type { RequestLedger, RequestRecord, RunRepository } from '../src/store/store-types.js';
import { decideOutboxAction, type OutboxAction } from './decide-outbox-action.js';
import { jobIdForDelivery } from './job-id.js';

export interface ReconcileOutboxInput {
  queue: Queue;
  ledger: RequestLedger;
  runs: Pick<RunRepository, 'getByJobId'>;
  logger: Logger;
  /** Requests younger than this are left alone: their enqueue may still be in flight (2 minutes). */
  graceMs?: number;
  /** A `running` run whose journal changed within this is not re-added (10 minutes). */
  quietRunMs?: number;
  /** Requests read per page (100). */
  pageSize?: number;
  now?: () => Date;
}

/** What one pass did, by delivery id. */
export interface OutboxReport {
  reEnqueued: string[];
  settled: string[];
  forgotten: string[];
  /** Requests whose check failed (Redis or store error); tried again on the next pass. */
  errors: string[];
  /** Requests looked at. */
  checked: number;
}

export const defaultOutboxGraceMs = 120_000;
export const defaultQuietRunMs = 600_000;

export async function reconcileOutbox(input: ReconcileOutboxInput): Promise<OutboxReport> {
  const now = (input.now ?? (() => new Date()))();
  const olderThan = new Date(now.getTime() - (input.graceMs ?? defaultOutboxGraceMs));
  const limit = input.pageSize ?? 100;
  const report: OutboxReport = { reEnqueued: [], settled: [], forgotten: [], errors: [], checked: 0 };
  let page = await input.ledger.listUnfinished({ olderThan, limit });
  while (page.length > 0) {
    for (const request of page) {
      report.checked += 1;
      try {
        await reconcileRequest(input, request, now, report);
      } catch (error) {
        report.errors.push(request.deliveryId);
        input.logger.warn({ err: error, deliveryId: request.deliveryId }, 'outbox: could not check request');
      }
    }
    if (page.length < limit) break;
    const last = page[page.length - 1] as RequestRecord;
    page = await input.ledger.listUnfinished({
      olderThan,
      after: { createdAt: last.createdAt, deliveryId: last.deliveryId },
      limit,
    });
  }
  return report;
}

/** The job id the request's job has (or had): recorded, stored with the job, or derived. */
export function jobIdOfRequest(request: RequestRecord): string {
  const stored = request.job?.options.jobId;
  return request.jobId ?? (typeof stored === 'string' ? stored : jobIdForDelivery(request.deliveryId));
}

async function reconcileRequest(
  input: ReconcileOutboxInput,
  request: RequestRecord,
  now: Date,
  report: OutboxReport,
): Promise<void> {
  const jobId = jobIdOfRequest(request);
  // Redis first, then the run: see decide-outbox-action.ts for why the order matters.
  const jobExists = (await input.queue.getJobState(jobId)) !== 'unknown';
  const run = jobExists ? undefined : await input.runs.getByJobId(jobId);
  const decision = decideOutboxAction({
    request,
    jobExists,
    run,
    now,
    quietRunMs: input.quietRunMs ?? defaultQuietRunMs,
  });
  await apply(input, request, jobId, decision, report);
}

async function apply(
  input: ReconcileOutboxInput,
  request: RequestRecord,
  jobId: string,
  decision: OutboxAction,
  report: OutboxReport,
): Promise<void> {
  const { deliveryId } = request;
  const log = { deliveryId, jobId, source: request.source, status: request.status };
  switch (decision.action) {
    case 'keep':
      // enqueueJob could not mark it; the job is there, so say so (and stop re-checking it as new).
      if (decision.markEnqueued)
        await input.ledger.transition(deliveryId, ['received'], 'enqueued', { jobId });
      return;
    case 'settle': {
      const reason = decision.reason === undefined ? {} : { reason: decision.reason };
      if (
        await input.ledger.transition(
          deliveryId,
          ['received', 'enqueued', 'running'],
          decision.status,
          reason,
        )
      ) {
        report.settled.push(deliveryId);
        input.logger.info({ ...log, to: decision.status }, 'outbox: request had finished; ledger updated');
      }
      return;
    }
    case 'forget':
      if (await input.ledger.forgetUnenqueued(deliveryId)) {
        report.forgotten.push(deliveryId);
        input.logger.warn(log, 'outbox: forgot a request acknowledged but never enqueued (no stored job)');
      }
      return;
    case 're-enqueue':
      await reEnqueue(input, request, jobId);
      report.reEnqueued.push(deliveryId);
      input.logger.warn(log, 'outbox: re-enqueued a request whose job was missing from Redis');
      return;
  }
}

async function reEnqueue(input: ReconcileOutboxInput, request: RequestRecord, jobId: string): Promise<void> {
  const job = request.job;
  if (job === undefined) return;
  // A job hash left without any state would make `add` a no-op (BullMQ keeps the existing id), so
  // the job could never run: remove it first. Checked again here, right before adding.
  if (
    (await input.queue.getJob(jobId)) !== undefined &&
    (await input.queue.getJobState(jobId)) === 'unknown'
  ) {
    await input.queue.remove(jobId);
  }
  await input.queue.add(job.name, job.payload, { ...job.options, jobId });
  await input.ledger.transition(request.deliveryId, ['received'], 'enqueued', { jobId });
}
