/** Chore schedules on the queue: BullMQ job schedulers per repository and chore, and manual runs. */
export { buildChorePayload, choreConversationKey } from './build-chore-payload.js';
export type { ChorePayloadInput } from './build-chore-payload.js';
export { choreSchedulerId, choreSchedulerPrefix, parseChoreSchedulerId } from './chore-scheduler-id.js';
export { enqueueChoreRun } from './enqueue-chore-run.js';
export type { EnqueueChoreRunInput } from './enqueue-chore-run.js';
export { listChoreSchedules } from './list-chore-schedules.js';
export type { ChoreSchedule } from './list-chore-schedules.js';
export { reconcileChoreSchedules } from './reconcile-chore-schedules.js';
export type {
  ReconcileChoreSchedulesInput,
  ReconcileChoreSchedulesResult,
} from './reconcile-chore-schedules.js';
