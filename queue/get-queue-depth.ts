/** Queue depth by state, for `/metrics` (a gauge per state) and `/healthz`. */
import type { Queue } from 'bullmq';

export const queueStates = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'paused',
  'waiting-children',
  'failed',
  'completed',
] as const;

export type QueueState = (typeof queueStates)[number];

export type QueueDepth = Record<QueueState, number>;

/** Counts jobs per state with one Redis round trip; fails fast on a producer queue when Redis is down. */
export async function getQueueDepth(queue: Queue): Promise<QueueDepth> {
  const counts = await queue.getJobCounts(...queueStates);
  const depth = {} as QueueDepth;
  for (const state of queueStates) depth[state] = counts[state] ?? 0;
  return depth;
}
