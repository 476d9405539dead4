/**
 * Every job Loom puts on the queue, in one place: its BullMQ job name and the zod schema of its
 * payload. Payloads carry a `version` so a worker can tell an old payload from a new one; a contract
 * that changes shape adds a new version next to the old one instead of editing it in place.
 */
import { z } from 'zod';
import { LoomError } from '../src/errors/index.js';

/** Delivery that caused the job (`X-GitHub-Delivery`, Slack `event_id`, ...), set by `enqueueJob`. */
const deliveryIdField = z.string().min(1).max(200).optional();

/**
 * `echo`: the built-in job that proves the pipeline end to end. It works in 100 ms steps for `workMs`,
 * journals each step (so a retried run resumes), fails transiently `failTimes` times, or fails for
 * good when `permanentFailure` is set.
 */
export const echoPayloadSchema = z.object({
  version: z.literal(1),
  deliveryId: deliveryIdField,
  message: z.string().max(10_000),
  workMs: z.number().int().min(0).max(600_000).optional(),
  failTimes: z.number().int().min(0).max(20).optional(),
  permanentFailure: z.boolean().optional(),
});

/** Who asked, as the source knows them (GitHub login/id, Slack user id). */
const requesterSchema = z.object({
  source: z.enum(['github', 'slack', 'cli']),
  id: z.string().min(1),
  login: z.string().min(1).optional(),
});

/** A GitHub request's origin: the installation, the issue or PR, and the trigger comment. */
const githubOriginSchema = z.object({
  installationId: z.number().int().positive(),
  owner: z.string().min(1),
  repo: z.string().min(1),
  /** Issue or pull request number. */
  number: z.number().int().positive(),
  isPullRequest: z.boolean(),
  /** Where the mention was: a new issue comment, a PR review comment, or a new issue's body. */
  trigger: z.enum(['issue_comment', 'pull_request_review_comment', 'pull_request_review', 'issue_body']),
  /** Id of the triggering comment (absent for an issue body). */
  commentId: z.number().int().positive().optional(),
  /** When the trigger was created; later comments and edits are excluded (RELIABILITY 20). */
  triggeredAt: z.string().min(1),
  sender: z.object({ login: z.string().min(1), id: z.number().int() }),
  /** The app's slug (from GET /app), e.g. `loom-bot`. */
  appSlug: z.string().min(1),
});

/** A Slack request's origin: workspace, channel, thread and the message that mentioned Loom. */
const slackOriginSchema = z.object({
  teamId: z.string().min(1),
  channelId: z.string().min(1),
  /** `thread_ts` of the conversation (the message's own ts when it started the thread). */
  threadTs: z.string().min(1),
  messageTs: z.string().min(1),
  userId: z.string().min(1),
});

/**
 * A scheduled chore's origin (`.loom/chores.yml` on the default branch): where it runs and where its
 * single PR (`loom/chore-{name}`), dashboard issue and optional Slack message go.
 */
const choreOriginSchema = z.object({
  installationId: z.number().int().positive(),
  owner: z.string().min(1),
  repo: z.string().min(1),
  /** Branch-safe chore name, unique per repository. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$/, { message: 'must be a branch-safe name' }),
  labels: z.array(z.string().min(1)).max(20).default([]),
  reviewers: z.array(z.string().min(1)).max(20).default([]),
  /** Slack channel id to tell when the run ends. */
  slackChannel: z.string().min(1).optional(),
  /** `scheduled` by a job scheduler, `manual` from `loom chores run`. */
  trigger: z.enum(['scheduled', 'manual']).default('scheduled'),
});

/**
 * `agent-run` v1: one task for the agent. Kept minimal on purpose; the GitHub, Slack and chore issues
 * extend it (as v2 when a field changes meaning).
 */
export const agentRunPayloadSchema = z.object({
  version: z.literal(1),
  deliveryId: deliveryIdField,
  source: z.enum(['github', 'slack', 'chore', 'cli', 'internal']),
  prompt: z.string().min(1).max(100_000),
  /** `owner/name` of the repository the task is about, when there is one. */
  repository: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, { message: 'must be owner/name' })
    .optional(),
  requester: requesterSchema.optional(),
  /** Stable key of the conversation (Slack thread, issue, PR) so follow-ups join the same thread. */
  conversationKey: z.string().min(1).max(500).optional(),
  /**
   * What the requester asked for: `run` (a task; the default when absent), `stop` (cancel the running
   * job of this conversation) or `status` (report on it). Set by the ingress from the text after the
   * mention (DESIGN §4 Triggers).
   */
  command: z.enum(['run', 'stop', 'status']).optional(),
  /** Spending cap for this request in USD (`budget=$3` in the request), enforced by the proxy. */
  budgetUsd: z.number().positive().max(10_000).optional(),
  /** Where the request came from on GitHub, and where results go. */
  github: githubOriginSchema.optional(),
  /** Where the request came from on Slack, and where results go. */
  slack: slackOriginSchema.optional(),
  /** The chore a scheduled or manual chore run belongs to (`source: 'chore'`). */
  chore: choreOriginSchema.optional(),
});

/**
 * `chores-sync` v1: re-read `.loom/chores.yml` and reconcile the chore schedules of some (or all)
 * repositories of an installation, after a push to a default branch or an installation change.
 */
export const choresSyncPayloadSchema = z.object({
  version: z.literal(1),
  deliveryId: deliveryIdField,
  installationId: z.number().int().positive(),
  /** `sync` reads the files; `remove` unschedules (the app lost access to the repositories). */
  mode: z.enum(['sync', 'remove']),
  /** `owner/name` of each repository; absent: every repository of the installation. */
  repositories: z
    .array(z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: 'must be owner/name' }))
    .max(1000)
    .optional(),
  /** The pushed commit: an invalid file gets a failing check run on it. */
  headSha: z
    .string()
    .regex(/^[0-9a-f]{40}$/)
    .optional(),
});

/** The job contracts, keyed by BullMQ job name. */
export const jobContracts = {
  echo: { name: 'echo', version: 1, schema: echoPayloadSchema },
  'agent-run': { name: 'agent-run', version: 1, schema: agentRunPayloadSchema },
  'chores-sync': { name: 'chores-sync', version: 1, schema: choresSyncPayloadSchema },
} as const;

export type JobName = keyof typeof jobContracts;

/** All job names, for iteration (metrics labels, worker registration). */
export const jobNames = Object.keys(jobContracts) as JobName[];

/** A payload as a producer writes it (optional fields may be left out). */
export type JobPayloadInput<N extends JobName> = z.input<(typeof jobContracts)[N]['schema']>;

/** A validated payload as a processor receives it. */
export type JobPayload<N extends JobName> = z.output<(typeof jobContracts)[N]['schema']>;

export type EchoPayload = JobPayload<'echo'>;
export type AgentRunPayload = JobPayload<'agent-run'>;
export type ChoresSyncPayload = JobPayload<'chores-sync'>;

/** Narrows a string to a known job name. */
export function isJobName(value: string): value is JobName {
  return Object.hasOwn(jobContracts, value);
}

/**
 * Validates a payload against its contract. Throws `LoomError('invalid_input')` for an unknown job
 * name or a payload that does not match (including a version this code does not know).
 */
export function parseJobPayload<N extends JobName>(name: N, data: unknown): JobPayload<N>;
export function parseJobPayload(name: string, data: unknown): JobPayload<JobName>;
export function parseJobPayload(name: string, data: unknown): JobPayload<JobName> {
  if (!isJobName(name)) {
    throw new LoomError('invalid_input', `unknown job name "${name}"`, { details: { jobName: name } });
  }
  const parsed = jobContracts[name].schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`,
    );
    throw new LoomError('invalid_input', `invalid ${name} payload: ${issues.join('; ')}`, {
      details: { jobName: name, issues },
    });
  }
  return parsed.data;
}
