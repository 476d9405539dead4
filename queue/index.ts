/**
 * The queue: job contracts, Redis connections, enqueueing with deduplication, and workers with
 * stalled-job recovery and graceful shutdown. See specs/queue.md.
 */
export {
  jobContracts,
  jobNames,
  isJobName,
  parseJobPayload,
  echoPayloadSchema,
  agentRunPayloadSchema,
} from './job-contracts.js';
export type { JobName, JobPayload, JobPayloadInput, EchoPayload, AgentRunPayload } from './job-contracts.js';
export { jobIdForDelivery, deliveryJobIdPrefix, maxDeliveryIdLength } from './job-id.js';
export {
  workerConnectionOptions,
  producerConnectionOptions,
  createRedisClient,
  reconnectDelayMs,
} from './redis-connection.js';
export type { RedisConnectionSettings, ProducerConnectionTuning } from './redis-connection.js';
export { defaultJobPolicy, defaultWorkerLimits } from './job-options.js';
export type { JobPolicy, Retention, WorkerLimits } from './job-options.js';
export { createJobQueue, closeJobQueue, waitForQueueReady, defaultQueueName } from './create-job-queue.js';
export type { CreateJobQueueOptions } from './create-job-queue.js';
export { enqueueJob, jobOptionsFromPolicy } from './enqueue-job.js';
export type { EnqueueJobInput, EnqueueJobResult } from './enqueue-job.js';
export { createWorker } from './create-worker.js';
export type { CreateWorkerOptions, LoomWorker } from './create-worker.js';
export { stopWorker } from './stop-worker.js';
export type { StopWorkerOutcome, StopWorkerOptions } from './stop-worker.js';
export { getQueueDepth, queueStates } from './get-queue-depth.js';
export type { QueueDepth, QueueState } from './get-queue-depth.js';
export { decideJobFailure } from './decide-job-failure.js';
export type { JobFailureDecision, JobFailureFacts } from './decide-job-failure.js';
export {
  reconcileOutbox,
  jobIdOfRequest,
  defaultOutboxGraceMs,
  defaultQuietRunMs,
} from './reconcile-outbox.js';
export type { ReconcileOutboxInput, OutboxReport } from './reconcile-outbox.js';
export { decideOutboxAction } from './decide-outbox-action.js';
export type { OutboxAction, OutboxFacts } from './decide-outbox-action.js';
export { runIdForJob } from './run-records.js';
export type { WorkerStore } from './run-records.js';
export { builtInProcessors, processEcho, echoStepMs } from './processors/index.js';
export type { EchoResult } from './processors/index.js';
export type {
  JobContext,
  JobProcessor,
  JobProcessors,
  JobResult,
  JobOutcome,
  JobFinishedEvent,
  JobFinishedObserver,
} from './job-processor.js';
