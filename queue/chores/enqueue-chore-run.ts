/**
 * "Run this chore now" (`loom chores run`, `POST /api/chores/…/runs`): one `agent-run` job with the
 * chore's payload (`trigger: 'manual'`), added through `enqueueJob` so it is in the requests ledger
 * like any accepted request (deduplicated, swept by the outbox).
 */
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { ChoreDefinition } from '../../src/chores/index.js';
import type { Logger } from '../../src/logging/index.js';
import type { RequestLedger } from '../../src/store/index.js';
import { enqueueJob } from '../enqueue-job.js';
import { runIdForJob } from '../run-records.js';
import { buildChorePayload } from './build-chore-payload.js';

export interface EnqueueChoreRunInput {
  queue: Queue;
  ledger: RequestLedger;
  repository: string;
  installationId: number;
  chore: ChoreDefinition;
  /** Idempotency key of the request (a client's retry sends the same one); random when absent. */
  requestId?: string;
  logger?: Logger;
}

export async function enqueueChoreRun(
  input: EnqueueChoreRunInput,
): Promise<{ jobId: string; runId: string; duplicate: boolean }> {
  const { deliveryId: _unused, ...payload } = buildChorePayload({ ...input, trigger: 'manual' });
  const result = await enqueueJob({
    queue: input.queue,
    ledger: input.ledger,
    name: 'agent-run',
    payload,
    deliveryId: `chore-${input.requestId ?? randomUUID()}`,
    source: 'chore',
    kind: 'chore.manual',
    ...(input.logger === undefined ? {} : { logger: input.logger }),
  });
  return { ...result, runId: runIdForJob(result.jobId) };
}
