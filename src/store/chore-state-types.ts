/**
 * The store side of chores: the chores each repository declares (as last synced from its
 * `.loom/chores.yml`), every chore run with its outcome, and each repository's dashboard issue.
 */
import type { ChoreDefinition } from '../chores/index.js';

/** A synced chore: its definition and where it runs. */
export interface StoredChore extends ChoreDefinition {
  /** `owner/name`. */
  repository: string;
  installationId: number;
  updatedAt: Date;
}

/** `done` opened or updated the chore's PR; `answered` ran and had nothing to change. */
export type ChoreRunStatus =
  'queued' | 'running' | 'done' | 'answered' | 'failed' | 'cancelled' | 'over-budget';

export const finalChoreRunStatuses: readonly ChoreRunStatus[] = [
  'done',
  'answered',
  'failed',
  'cancelled',
  'over-budget',
];

export interface ChoreRunRecord {
  /** The Loom run id (`R-{jobId}`), one per job. */
  runId: string;
  jobId: string;
  repository: string;
  choreName: string;
  trigger: 'scheduled' | 'manual';
  status: ChoreRunStatus;
  reason: string | undefined;
  pullRequestUrl: string | undefined;
  pullRequestNumber: number | undefined;
  costUsd: number;
  turns: number;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
}

export interface RecordChoreRunInput {
  runId: string;
  jobId: string;
  repository: string;
  choreName: string;
  trigger: 'scheduled' | 'manual';
  /** `queued` when enqueued by hand, `running` when a worker starts it. */
  status: 'queued' | 'running';
}

export interface FinishChoreRunInput {
  status: Exclude<ChoreRunStatus, 'queued' | 'running'>;
  reason?: string;
  pullRequest?: { number: number; url: string };
  costUsd: number;
  turns: number;
}

export interface ChoreStateRepository {
  /**
   * Makes the stored chores of `repository` exactly `chores` (added, changed, removed); their runs
   * stay. Returns the names of each kind of change.
   */
  replaceChores(
    repository: string,
    installationId: number,
    chores: readonly ChoreDefinition[],
  ): Promise<{ added: string[]; changed: string[]; removed: string[] }>;
  /** Chores of one repository, or of all, by repository then name. */
  listChores(repository?: string): Promise<StoredChore[]>;
  getChore(repository: string, name: string): Promise<StoredChore | undefined>;
  /**
   * Creates the run's record, or moves an unfinished one to `input.status` (a retried attempt).
   * A finished run stays as it is (its outcome stands).
   */
  recordRun(input: RecordChoreRunInput): Promise<ChoreRunRecord>;
  /** Records the outcome; `not_found` for an unknown run. */
  finishRun(runId: string, outcome: FinishChoreRunInput): Promise<ChoreRunRecord>;
  getRun(runId: string): Promise<ChoreRunRecord | undefined>;
  /** Runs of a repository (optionally one chore), newest first. */
  listRuns(query: { repository: string; choreName?: string; limit?: number }): Promise<ChoreRunRecord[]>;
  /** The dashboard issue number of a repository, if one was recorded. */
  getDashboardIssue(repository: string): Promise<number | undefined>;
  /**
   * Records `issueNumber` as the repository's dashboard unless one is recorded already; returns the
   * number that holds (the first writer wins, so concurrent runs agree on one issue).
   */
  claimDashboardIssue(repository: string, issueNumber: number): Promise<number>;
  /** Forgets a recorded dashboard (it was deleted on GitHub). */
  forgetDashboardIssue(repository: string): Promise<void>;
}
