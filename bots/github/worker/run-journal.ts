/**
 * The GitHub run's journal (the job's `progress`): every side effect that must not happen twice is
 * recorded right after it happens, so a retried, resumed or duplicated attempt (a dead worker, a
 * stalled lock, RELIABILITY 25 and 27) picks up where the last one stopped instead of repeating it.
 */
import { z } from 'zod';
import type { JobContext } from '../../../queue/job-processor.js';

const commandSchema = z.object({
  command: z.string(),
  exitCode: z.number().nullable(),
  timedOut: z.boolean(),
});

/** How the agent's part ended, kept small enough for the journal. */
export const agentOutcomeSchema = z.object({
  status: z.enum(['done', 'failed', 'cancelled', 'over-budget']),
  reason: z.string().optional(),
  limit: z.string().optional(),
  answer: z.string(),
  turns: z.number(),
  costUsd: z.number(),
  commands: z.array(commandSchema),
  filesChanged: z.array(z.string()),
});

export type AgentOutcome = z.output<typeof agentOutcomeSchema>;

/** Where the work happens: the branch, what it started from, and the base it is compared with. */
export const workPlanSchema = z.object({
  branch: z.string(),
  baseBranch: z.string(),
  baseCommit: z.string(),
  startCommit: z.string(),
  /** True when the branch is an existing PR's own branch (pushed to as is, no new PR). */
  pullRequestBranch: z.boolean(),
  wipBranch: z.string(),
  title: z.string(),
  /** The PR whose own branch this is (with `pullRequestBranch`). */
  pullRequestNumber: z.number().optional(),
  /** The branch is Loom's alone and rebuilt from the base each run (chores): pushed with force. */
  forcePush: z.boolean().optional(),
});

export type WorkPlan = z.output<typeof workPlanSchema>;

export const githubRunJournalSchema = z.object({
  /** The origin, so the watchdog can report a run whose every attempt died (it has no payload). */
  origin: z
    .object({
      installationId: z.number(),
      owner: z.string(),
      repo: z.string(),
      number: z.number(),
      appSlug: z.string(),
      requester: z.string().optional(),
      budgetUsd: z.number().optional(),
    })
    .optional(),
  authorized: z.boolean().optional(),
  refusalCommentId: z.number().optional(),
  trackingCommentId: z.number().optional(),
  /** Model spend of earlier attempts, so a retry gets only what is left of the budget. */
  spentUsd: z.number().optional(),
  threadId: z.string().optional(),
  plan: workPlanSchema.optional(),
  outcome: agentOutcomeSchema.optional(),
  /** The run's commit, received into the mirror as `refs/loom/runs/{runId}`. */
  commit: z.string().optional(),
  /** Set when the run made no change (an answer), so a resume does not look for a commit. */
  noChanges: z.boolean().optional(),
  pushed: z.object({ branch: z.string(), commit: z.string(), wip: z.boolean() }).optional(),
  pullRequest: z.object({ number: z.number(), url: z.string(), created: z.boolean().optional() }).optional(),
  checkRunId: z.number().optional(),
  threadRecorded: z.boolean().optional(),
  finalCommentId: z.number().optional(),
  finalStatus: z.string().optional(),
});

export type GithubRunJournal = z.output<typeof githubRunJournalSchema>;

export interface RunJournal {
  readonly state: Readonly<GithubRunJournal>;
  /** Merges `patch` into the journal and saves it; saves happen in call order. */
  update(patch: Partial<GithubRunJournal>): Promise<void>;
}

/** Reads a journal leniently: an unreadable one (an older shape) starts from scratch. */
export function parseGithubRunJournal(progress: Readonly<Record<string, unknown>>): GithubRunJournal {
  const parsed = githubRunJournalSchema.safeParse(progress);
  return parsed.success ? parsed.data : {};
}

export function createRunJournal(context: Pick<JobContext, 'progress' | 'saveProgress'>): RunJournal {
  let state: GithubRunJournal = parseGithubRunJournal(context.progress);
  let saving: Promise<void> = Promise.resolve();
  return {
    get state() {
      return state;
    },
    update(patch) {
      state = { ...state, ...patch };
      const snapshot = state;
      // One failed save must not fail every later one: each save carries the whole journal.
      const next = saving
        .catch(() => undefined)
        .then(() => context.saveProgress(snapshot as Record<string, unknown>));
      saving = next;
      return next;
    },
  };
}
