/**
 * A verified push / installation event → at most one `chores-sync` job, enqueued once per delivery
 * (the requests ledger, then BullMQ with the delivery as job id), so the webhook is answered at once
 * and a lost job is re-sent by GitHub's redelivery (503 when Redis or the store do not take it).
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../../../src/logging/index.js';
import type { RequestLedger } from '../../../src/store/index.js';
import { enqueueJob } from '../../../queue/index.js';
import type { DeliveryOutcome } from '../ingress/delivery-outcomes.js';
import { decideChoresSync } from './decide-chores-sync.js';

export interface ChoresEventDependencies {
  queue: Queue;
  ledger: RequestLedger;
  logger: Logger;
  enqueueTimeoutMs?: number;
}

export async function handleChoresEvent(
  deps: ChoresEventDependencies,
  event: { id: string; name: string; payload: unknown },
): Promise<DeliveryOutcome> {
  const decision = decideChoresSync(event.name, event.payload);
  if (decision.kind === 'ignore') return { status: 'ignored', reason: decision.reason };
  if (decision.request.repositories?.length === 0) return { status: 'ignored', reason: 'no repositories' };
  const action = (event.payload as { action?: unknown }).action;
  const result = await enqueueJob({
    queue: deps.queue,
    ledger: deps.ledger,
    name: 'chores-sync',
    payload: { version: 1, ...decision.request },
    deliveryId: event.id,
    source: 'github',
    kind: typeof action === 'string' ? `${event.name}.${action}` : event.name,
    ...(deps.enqueueTimeoutMs === undefined ? {} : { addTimeoutMs: deps.enqueueTimeoutMs }),
    logger: deps.logger,
  });
  return result.duplicate
    ? { status: 'duplicate', jobId: result.jobId }
    : { status: 'enqueued', jobId: result.jobId };
}
