/**
 * The store port: one interface, two adapters (SQLite embedded default, PostgreSQL). Repositories
 * are grouped by concept; later issues add more (threads, usage, chores, ...).
 */
import type { RevocationList } from '../auth/index.js';
import type {
  SpendScope,
  UsageEvent,
  UsageLedger,
  UsageReportQuery,
  UsageReportRow,
} from '../proxy/index.js';
import type { ThreadRepository } from '../threads/index.js';
import type { ChoreStateRepository } from './chore-state-types.js';
import type { SlackStateRepository } from './slack-state-types.js';

/** Where a request came from. */
export type RequestSource = 'github' | 'slack' | 'chore' | 'cli' | 'internal';

/** A request's life in the ledger. `refused` = verified but not run (no permission, not for us). */
export type RequestStatus = 'received' | 'enqueued' | 'running' | 'done' | 'failed' | 'refused';

export interface RequestRecord {
  /** Delivery id (`X-GitHub-Delivery`, Slack `event_id`, ...), unique. */
  deliveryId: string;
  source: RequestSource;
  /** Event or job kind, e.g. `issue_comment.created`. */
  kind: string;
  status: RequestStatus;
  /** BullMQ job id the request became, once enqueued. */
  jobId: string | undefined;
  /** Short reason for `failed` / `refused`. */
  reason: string | undefined;
  /** The job the request became, stored when it was accepted; absent on rows from before 0007. */
  job: RequestJob | undefined;
  createdAt: Date;
  updatedAt: Date;
}

/** Everything needed to re-create a request's queue job (RELIABILITY 29, 30). */
export interface RequestJob {
  /** Job (contract) name, e.g. `agent-run`. */
  name: string;
  /** The validated payload, JSON-serializable. */
  payload: Record<string, unknown>;
  /** Queue options the job was added with (`jobId`, attempts, backoff, retention). */
  options: Record<string, unknown>;
}

export interface RecordRequestInput {
  deliveryId: string;
  source: RequestSource;
  kind: string;
  /** The job to store with the request, written in the same insert as the request itself. */
  job?: RequestJob;
}

/** Statuses of a request that was accepted and has not ended yet (what the outbox looks at). */
export const unfinishedRequestStatuses = [
  'received',
  'enqueued',
  'running',
] as const satisfies readonly RequestStatus[];

/** Where a page of `listUnfinished` ends; pass it back as `after` for the next page. */
export interface RequestCursor {
  createdAt: Date;
  deliveryId: string;
}

/** The deduplication ledger: it outlives BullMQ's job retention. */
export interface RequestLedger {
  /**
   * Records a delivery once. `created: false` means the id was already recorded (a duplicate);
   * the existing record is returned unchanged. Atomic across processes.
   */
  record(input: RecordRequestInput): Promise<{ created: boolean; request: RequestRecord }>;
  get(deliveryId: string): Promise<RequestRecord | undefined>;
  /** Moves a request to a new status; `jobId` / `reason` are kept when not given. */
  setStatus(
    deliveryId: string,
    status: RequestStatus,
    extra?: { jobId?: string; reason?: string },
  ): Promise<RequestRecord>;
  /**
   * Forgets a delivery that was never enqueued (e.g. enqueue failed with 5xx), so a redelivery of
   * the same id is processed. Returns false when the request had been enqueued already (true when the
   * id is unknown: nothing blocks a redelivery).
   */
  forgetUnenqueued(deliveryId: string): Promise<boolean>;
  /** Requests stuck in `received` (acknowledged but never enqueued) older than a date: the outbox. */
  listUnenqueued(olderThan: Date): Promise<RequestRecord[]>;
  /**
   * Moves a request to `status` only if it is in one of `from` (a single conditional update), so a
   * late writer never moves a request back (e.g. `enqueued` over `done`). False when it was not moved
   * (another status, or unknown id).
   */
  transition(
    deliveryId: string,
    from: readonly RequestStatus[],
    status: RequestStatus,
    extra?: { jobId?: string; reason?: string },
  ): Promise<boolean>;
  /**
   * One page of requests that are accepted but not finished (`received`, `enqueued`, `running`) and
   * were created before `olderThan`, ordered by creation then id, starting after `after`. Rows past
   * `received` without a stored job (older than migration 0007) are left out: nothing can re-create
   * their job. The outbox reconciler pages through these.
   */
  listUnfinished(query: { olderThan: Date; after?: RequestCursor; limit: number }): Promise<RequestRecord[]>;
}

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'over-budget';

export interface RunRecord {
  id: string;
  jobId: string;
  jobName: string;
  /** Delivery that caused the run, when there was one. */
  deliveryId: string | undefined;
  status: RunStatus;
  /** Attempts started (BullMQ `attemptsStarted`), incremented on each start. */
  attempts: number;
  /** JSON-serializable progress journal a retried run resumes from. */
  progress: Record<string, unknown>;
  /** JSON-serializable result once finished. */
  result: Record<string, unknown> | undefined;
  error: string | undefined;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
}

export interface CreateRunInput {
  id: string;
  jobId: string;
  jobName: string;
  deliveryId?: string;
}

export interface RunRepository {
  /**
   * Creates the run, or returns the existing one with that id (idempotent). `conflict` when the job
   * already has a run with another id, or the id belongs to another job.
   */
  create(input: CreateRunInput): Promise<RunRecord>;
  get(id: string): Promise<RunRecord | undefined>;
  getByJobId(jobId: string): Promise<RunRecord | undefined>;
  /**
   * Marks a start: status `running`, attempts + 1, startedAt set on the first start. Only a `queued`
   * or `running` run starts; a finished one is a `conflict` (its outcome stands). Unknown id: `not_found`.
   */
  markStarted(id: string): Promise<RunRecord>;
  saveProgress(id: string, progress: Record<string, unknown>): Promise<RunRecord>;
  /** Final states only (`done`, `failed`, `cancelled`, `over-budget`). */
  finish(
    id: string,
    status: Exclude<RunStatus, 'queued' | 'running'>,
    outcome: { result?: Record<string, unknown>; error?: string },
  ): Promise<RunRecord>;
  list(filter?: { status?: RunStatus; limit?: number }): Promise<RunRecord[]>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly requests: RequestLedger;
  readonly runs: RunRepository;
  /** LLM proxy metering: one event per proxied model call, spend per token or subject. */
  readonly usage: StoreUsageLedger;
  /** Revoked proxy tokens (by `jti`). */
  readonly revocations: RevocationList;
  /** Conversations: messages, sources, git metadata, full-text search (src/threads). */
  readonly threads: ThreadRepository;
  /** The Slack app's channel bindings, known threads and reporter state (bots/slack). */
  readonly slack: SlackStateRepository;
  /** Chores as code: synced chores, chore runs, dashboard issues (bots/github/chores). */
  readonly chores: ChoreStateRepository;
  /** Throws `LoomError('dependency_unavailable')` when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store's usage ledger: the proxy's port, batch writes, and a token's or subject's events. */
export interface StoreUsageLedger extends UsageLedger {
  recordMany(events: readonly UsageEvent[]): Promise<void>;
  /** Events of one token or subject, oldest first (for reports and tests). */
  list(scope: SpendScope, limit?: number): Promise<UsageEvent[]>;
  /** Who spent what over a time window (`GET /api/usage`, `loom usage`). */
  report(query: UsageReportQuery): Promise<UsageReportRow[]>;
}
