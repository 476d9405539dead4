/**
 * One verified webhook event → at most one `agent-run` job: read the candidate, screen it (bots,
 * our app), learn the app slug, decide, build the payload with sanitized text, and enqueue it once
 * per delivery (the `requests` ledger, then BullMQ with the delivery as job id). Errors are
 * LoomErrors the router answers with: `dependency_unavailable` (503) when Redis or the store does
 * not take the request, so GitHub's redelivery is processed later.
 */
import type { Queue } from 'bullmq';
import type { Logger } from '../../../src/logging/index.js';
import type { RequestLedger } from '../../../src/store/index.js';
import { enqueueJob } from '../../../queue/index.js';
import type { AppSlugCache } from './app-slug-cache.js';
import { buildAgentRunPayload } from './build-agent-run-payload.js';
import { decideTrigger, screenCandidate } from './decide-trigger.js';
import type { DeliveryOutcome } from './delivery-outcomes.js';
import { toTriggerCandidate } from './trigger-candidate.js';

export interface TriggerEventDependencies {
  queue: Queue;
  ledger: RequestLedger;
  appId: number;
  appSlug: AppSlugCache;
  logger: Logger;
  /** Upper bound on the wait for Redis when enqueueing (default 1000 ms). */
  enqueueTimeoutMs?: number;
}

export interface VerifiedEvent {
  /** `X-GitHub-Delivery`. */
  id: string;
  /** `X-GitHub-Event`. */
  name: string;
  payload: unknown;
}

export async function handleTriggerEvent(
  deps: TriggerEventDependencies,
  event: VerifiedEvent,
): Promise<DeliveryOutcome> {
  const candidate = toTriggerCandidate(event.name, event.payload);
  if (candidate === undefined) return { status: 'ignored', reason: 'not a trigger event' };
  const screened = screenCandidate(candidate, deps.appId);
  if (screened !== undefined) return { status: 'ignored', reason: screened };

  const slug = await deps.appSlug.get();
  const decision = decideTrigger(candidate, { id: deps.appId, slug });
  if (decision.kind === 'ignore') return { status: 'ignored', reason: decision.reason };
  const installationId = candidate.installationId;
  if (installationId === undefined) return { status: 'ignored', reason: 'no installation in the payload' };

  const result = await enqueueJob({
    queue: deps.queue,
    ledger: deps.ledger,
    name: 'agent-run',
    payload: buildAgentRunPayload({ ...candidate, installationId }, decision.request, slug),
    deliveryId: event.id,
    source: 'github',
    kind: candidate.event,
    addTimeoutMs: deps.enqueueTimeoutMs,
    logger: deps.logger,
  });
  return result.duplicate
    ? { status: 'duplicate', jobId: result.jobId }
    : { status: 'enqueued', jobId: result.jobId };
}
