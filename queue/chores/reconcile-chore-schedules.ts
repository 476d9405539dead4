/**
 * A repository's chores → BullMQ job schedulers, one per chore (`chore:{owner}/{repo}:{name}`),
 * whose template is the chore's `agent-run` payload with Loom's usual job policy. Unchanged chores
 * are left alone (their next run stays), changed ones are upserted, and schedulers of chores that
 * are gone are removed together with their pending job.
 */
import type { Queue } from 'bullmq';
import type { ChoreDefinition } from '../../src/chores/index.js';
import { defaultJobPolicy, type JobPolicy } from '../job-options.js';
import { buildChorePayload } from './build-chore-payload.js';
import { choreSchedulerId, choreSchedulerPrefix } from './chore-scheduler-id.js';

export interface ReconcileChoreSchedulesInput {
  queue: Queue;
  /** `owner/name`. */
  repository: string;
  installationId: number;
  chores: readonly ChoreDefinition[];
  policy?: Partial<JobPolicy>;
}

export interface ReconcileChoreSchedulesResult {
  upserted: string[];
  unchanged: string[];
  removed: string[];
}

export async function reconcileChoreSchedules(
  input: ReconcileChoreSchedulesInput,
): Promise<ReconcileChoreSchedulesResult> {
  const policy = { ...defaultJobPolicy, ...input.policy };
  const opts = {
    attempts: policy.attempts,
    backoff: policy.backoff,
    removeOnComplete: policy.removeOnComplete,
    removeOnFail: policy.removeOnFail,
  };
  const result: ReconcileChoreSchedulesResult = { upserted: [], unchanged: [], removed: [] };
  const wanted = new Set<string>();
  for (const chore of input.chores) {
    const id = choreSchedulerId(input.repository, chore.name);
    wanted.add(id);
    const data = buildChorePayload({ ...input, chore, trigger: 'scheduled' });
    const existing = await input.queue.getJobScheduler(id);
    if (
      existing !== undefined &&
      existing.pattern === chore.schedule &&
      (existing.tz ?? undefined) === chore.timezone &&
      stableJson(existing.template?.data) === stableJson(data) &&
      sameOptions(existing.template?.opts, opts)
    ) {
      result.unchanged.push(chore.name);
      continue;
    }
    await input.queue.upsertJobScheduler(
      id,
      { pattern: chore.schedule, ...(chore.timezone === undefined ? {} : { tz: chore.timezone }) },
      { name: 'agent-run', data, opts },
    );
    result.upserted.push(chore.name);
  }
  const prefix = choreSchedulerPrefix(input.repository);
  for (const scheduler of await input.queue.getJobSchedulers(0, -1)) {
    if (!scheduler.key.startsWith(prefix) || wanted.has(scheduler.key)) continue;
    await input.queue.removeJobScheduler(scheduler.key);
    result.removed.push(scheduler.key.slice(prefix.length));
  }
  return result;
}

function sameOptions(stored: Record<string, unknown> | undefined, wanted: Record<string, unknown>): boolean {
  if (stored === undefined) return false;
  return Object.entries(wanted).every(([key, value]) => stableJson(stored[key]) === stableJson(value));
}

/** JSON with object keys sorted: Redis gives options back with their keys in another order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([left], [right]) => left.localeCompare(right)))
      : inner,
  );
}
