/** A chore as `.loom/chores.yml` declares it, after validation. */
export interface ChoreDefinition {
  /** Unique per repository and branch-safe: the chore's branch is `loom/chore-{name}`. */
  name: string;
  /** Five-field cron expression (or `@daily`-style macro), read in `timezone`. */
  schedule: string;
  /** IANA time zone of `schedule`; UTC when absent. */
  timezone: string | undefined;
  /** The task the agent gets on every run. */
  prompt: string;
  /** Spending cap of one run in USD; the worker's default when absent. */
  budgetUsd: number | undefined;
  /** Labels put on the chore's pull request. */
  labels: string[];
  /** GitHub logins asked to review the chore's pull request. */
  reviewers: string[];
  /** Slack channel told when a run ends. */
  slackChannel: string | undefined;
}

/** One thing wrong with a chores file, where it is. */
export interface ChoreProblem {
  /** 1-based line of the offending node (of the file when it has no better place). */
  line: number;
  column: number;
  /** The chore's name (or its index) and field, e.g. `chores[1].schedule`, when known. */
  field: string | undefined;
  message: string;
}

export type ChoresFileResult =
  { ok: true; chores: ChoreDefinition[] } | { ok: false; problems: ChoreProblem[] };
