import type { ChoreRunRecord } from '../../../src/store/index.js';

/** A chore run as the API and CLI show it. */
export interface ChoreRunView {
  runId: string;
  jobId: string;
  repository: string;
  chore: string;
  trigger: 'scheduled' | 'manual';
  status: ChoreRunRecord['status'];
  reason?: string;
  pullRequestUrl?: string;
  costUsd: number;
  turns: number;
  startedAt?: string;
  finishedAt?: string;
}

export function choreRunView(run: ChoreRunRecord): ChoreRunView {
  return {
    runId: run.runId,
    jobId: run.jobId,
    repository: run.repository,
    chore: run.choreName,
    trigger: run.trigger,
    status: run.status,
    ...(run.reason === undefined ? {} : { reason: run.reason }),
    ...(run.pullRequestUrl === undefined ? {} : { pullRequestUrl: run.pullRequestUrl }),
    costUsd: run.costUsd,
    turns: run.turns,
    ...(run.startedAt === undefined ? {} : { startedAt: run.startedAt.toISOString() }),
    ...(run.finishedAt === undefined ? {} : { finishedAt: run.finishedAt.toISOString() }),
  };
}
