/**
 * Enqueue one job per delivery, exactly once. The `requests` ledger is asked first: it remembers a
 * delivery long after BullMQ has removed the finished job, so a redelivery days later is still a
 * duplicate (RELIABILITY 5, 31). If the job cannot be added, the delivery is forgotten again so the
 * sender's retry is processed (RELIABILITY 6), and the caller gets `dependency_unavailable` (503).
 */
import type { JobsOptions, Queue } from 'bullmq';
import { LoomError } from '../src/errors/index.js';
import type { Logger } from '../src/logging/index.js';
import type { RequestLedger, RequestSource } from '../src/store/store-types.js';
import { parseJobPayload, type JobName, type JobPayloadInput } from './job-contracts.js';
import { jobIdForDelivery } from './job-id.js';
import { defaultJobPolicy, type JobPolicy } from './job-options.js';

export interface EnqueueJobInput<N extends JobName> {
  queue: Queue;
  ledger: RequestLedger;
  name: N;
  /** The payload without `deliveryId`, which is filled in from `deliveryId`. */
  payload: Omit<JobPayloadInput<N>, 'deliveryId'>;
  deliveryId: string;
  source: RequestSource;
  /** Event or job kind for the ledger, e.g. `issue_comment.created`. */
  kind: string;
  /**
   * Records the request instead of `ledger.record`, with the same contract (the Slack ingress writes
   * its thread row in the same transaction: `SlackStateRepository.recordRequestWithThread`).
   */
  record?: RequestLedger['record'];
  /** Overrides of the retry/retention policy for this job. */
  policy?: Partial<JobPolicy>;
  /** Upper bound on the wait for Redis, on top of the connection's own timeouts (default 1000 ms). */
  addTimeoutMs?: number;
  logger?: Logger;
}

export interface EnqueueJobResult {
  jobId: string;
  /** True when the delivery had been recorded before: nothing was added. */
  duplicate: boolean;
}

/** BullMQ job options from a policy: retries with backoff, retention as values. */
export function jobOptionsFromPolicy(jobId: string, policy: JobPolicy): JobsOptions {
  return {
    jobId,
    attempts: policy.attempts,
    backoff: policy.backoff,
    removeOnComplete: policy.removeOnComplete,
    removeOnFail: policy.removeOnFail,
  };
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Records the delivery, then adds the job with an id derived from it. Returns `duplicate: true`
 * without adding anything when the delivery was seen before. Throws `invalid_input` for a bad
 * payload or delivery id (nothing recorded), `dependency_unavailable` when Redis does not take the
 * job (the delivery is forgotten, so a redelivery is processed).
 */
export async function enqueueJob<N extends JobName>(input: EnqueueJobInput<N>): Promise<EnqueueJobResult> {
  const jobId = jobIdForDelivery(input.deliveryId);
  const payload = parseJobPayload(input.name, { ...input.payload, deliveryId: input.deliveryId });
  const options = jobOptionsFromPolicy(jobId, { ...defaultJobPolicy, ...input.policy });
  // The job is stored with the request, in the same insert: if Redis loses it after the webhook was
  // acknowledged, the outbox reconciler re-creates it from here (RELIABILITY 29, 30).
  const record = input.record ?? ((request) => input.ledger.record(request));
  const recorded = await record({
    deliveryId: input.deliveryId,
    source: input.source,
    kind: input.kind,
    job: { name: input.name, payload: payload as Record<string, unknown>, options: { ...options } },
  });
  if (!recorded.created) return { jobId: recorded.request.jobId ?? jobId, duplicate: true };

  try {
    await withTimeout(input.queue.add(input.name, payload, options), input.addTimeoutMs ?? 1000);
  } catch (error) {
    await forgetDelivery(input, error);
    throw new LoomError('dependency_unavailable', 'the job queue is unavailable; try again later', {
      cause: error,
      details: { deliveryId: input.deliveryId, jobName: input.name },
    });
  }

  try {
    // Conditional: a fast worker may already have moved the request to `running` or `done`.
    await input.ledger.transition(input.deliveryId, ['received'], 'enqueued', { jobId });
  } catch (error) {
    // The job is in the queue and will run; the worker moves the request on from `received`.
    input.logger?.warn(
      { err: error, deliveryId: input.deliveryId, jobId },
      'could not mark request enqueued',
    );
  }
  return { jobId, duplicate: false };
}

async function forgetDelivery(input: EnqueueJobInput<JobName>, addError: unknown): Promise<void> {
  try {
    await input.ledger.forgetUnenqueued(input.deliveryId);
  } catch (error) {
    // The request stays `received` with its job; the outbox reconciler re-enqueues it later.
    input.logger?.error(
      { err: error, addError, deliveryId: input.deliveryId },
      'could not forget unenqueued request',
    );
  }
}
