/**
 * The tables as Kysely sees them. Dates and JSON are stored differently per dialect (SQLite: ISO text
 * and JSON text; PostgreSQL: timestamptz and jsonb), so their column types admit both shapes and every
 * value passes through a `ValueCodec` on its way in and out.
 */
import type { Generated } from 'kysely';

/** A date column: ISO-8601 text in SQLite, `timestamptz` (a `Date` from pg) in PostgreSQL. */
export type StoredDate = string | Date;

/** A JSON column: text in SQLite, `jsonb` (parsed by pg) in PostgreSQL. Written as JSON text. */
export type StoredJson = string | Record<string, unknown>;

export interface RequestsTable {
  delivery_id: string;
  source: string;
  kind: string;
  status: string;
  job_id: string | null;
  reason: string | null;
  created_at: StoredDate;
  updated_at: StoredDate;
  /** The job to re-create when Redis lost it (migration 0007); null on older rows. */
  job_name: string | null;
  job_payload: StoredJson | null;
  job_options: StoredJson | null;
}

export interface RunsTable {
  id: string;
  job_id: string;
  job_name: string;
  delivery_id: string | null;
  status: string;
  attempts: number;
  progress: StoredJson;
  result: StoredJson | null;
  error: string | null;
  created_at: StoredDate;
  updated_at: StoredDate;
  started_at: StoredDate | null;
  finished_at: StoredDate | null;
}

export interface UsageEventsTable {
  id: string;
  at: StoredDate;
  subject: string;
  token_id: string;
  job_id: string | null;
  provider: string;
  model: string;
  route: string;
  input_tokens: number;
  /** Of `input_tokens`, read from and written to the provider's prompt cache. */
  cache_read_tokens: number;
  cache_write_tokens: number;
  output_tokens: number;
  cost_usd: number;
  latency_ms: number;
  status: string;
  http_status: number;
  error_code: string | null;
}

/** Running spend of one token (`scope = 'token'`, the jti) or subject, updated with each usage batch. */
export interface UsageSpendTable {
  scope: UsageSpendScope;
  scope_id: string;
  spent_usd: number;
}

export type UsageSpendScope = 'token' | 'subject';

export interface RevokedTokensTable {
  jti: string;
  expires_at: StoredDate;
  revoked_at: StoredDate;
}

export interface ThreadsTable {
  id: string;
  version: number;
  title: string;
  owner: string;
  status: string;
  visibility: string;
  repository: string | null;
  sources: StoredJson;
  git: StoredJson;
  agent_state: StoredJson;
  cost_usd: number;
  turns: number;
  run_ids: StoredJson;
  message_count: number;
  last_write_id: string | null;
  synced_version: number | null;
  remote_version: number | null;
  created_at: StoredDate;
  updated_at: StoredDate;
  deleted_at: StoredDate | null;
}

export interface ThreadMessagesTable {
  thread_id: string;
  seq: number;
  role: string;
  content: string;
  tool_calls: StoredJson | null;
  tool_call_id: string | null;
  /** 0 or 1 (SQLite has no boolean). */
  is_error: number;
  run_id: string | null;
  write_id: string | null;
  created_at: StoredDate;
}

export interface ThreadSourcesTable {
  source_key: string;
  thread_id: string;
  kind: string;
  created_at: StoredDate;
}

/** One search document per message (and one per thread); the dialect's index hangs off `id`. */
export interface ThreadSearchDocumentsTable {
  /** A bigint in PostgreSQL, which pg returns as a string. */
  id: Generated<number | string>;
  thread_id: string;
  message_seq: number | null;
}

/** A channel's default repository (`@loom use owner/repo`). */
export interface SlackChannelRepositoriesTable {
  team_id: string;
  channel_id: string;
  repository: string;
  set_by: string;
  updated_at: StoredDate;
}

/** A Slack thread Loom takes part in. */
export interface SlackThreadsTable {
  team_id: string;
  channel_id: string;
  thread_ts: string;
  repository: string | null;
  pending_prompt: string | null;
  created_at: StoredDate;
  updated_at: StoredDate;
}

/** What a Slack run reporter has posted (status message ts, reaction, final message ts). */
export interface SlackReportsTable {
  report_key: string;
  state: StoredJson;
  updated_at: StoredDate;
}

/** A chore of a repository's `.loom/chores.yml`, as last synced. */
export interface ChoresTable {
  repository: string;
  name: string;
  /** A bigint in PostgreSQL, which pg returns as a string. */
  installation_id: number | string;
  schedule: string;
  timezone: string | null;
  prompt: string;
  budget_usd: number | null;
  labels: StoredJson;
  reviewers: StoredJson;
  slack_channel: string | null;
  updated_at: StoredDate;
}

/** One run of a chore and its outcome. */
export interface ChoreRunsTable {
  run_id: string;
  job_id: string;
  repository: string;
  chore_name: string;
  trigger: string;
  status: string;
  reason: string | null;
  pull_request_url: string | null;
  pull_request_number: number | null;
  cost_usd: Generated<number>;
  turns: Generated<number>;
  created_at: StoredDate;
  updated_at: StoredDate;
  started_at: StoredDate | null;
  finished_at: StoredDate | null;
}

/** The "Loom chores" dashboard issue of a repository. */
export interface ChoreDashboardsTable {
  repository: string;
  issue_number: number;
  updated_at: StoredDate;
}

/** Every table of the store. Later issues add their tables here (see specs/store.md). */
export interface LoomDatabase {
  requests: RequestsTable;
  runs: RunsTable;
  usage_events: UsageEventsTable;
  usage_spend: UsageSpendTable;
  revoked_tokens: RevokedTokensTable;
  threads: ThreadsTable;
  thread_messages: ThreadMessagesTable;
  thread_sources: ThreadSourcesTable;
  thread_search_documents: ThreadSearchDocumentsTable;
  slack_channel_repositories: SlackChannelRepositoriesTable;
  slack_threads: SlackThreadsTable;
  slack_reports: SlackReportsTable;
  chores: ChoresTable;
  chore_runs: ChoreRunsTable;
  chore_dashboards: ChoreDashboardsTable;
}
