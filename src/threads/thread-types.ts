/**
 * The thread model: one conversation with Loom, across every run it took (a Slack thread, an issue
 * and its PR, a chore, a local REPL session). Workers and the REPL append to it; the API, the CLI
 * and sync read it. See specs/threads.md.
 */
import type { ChatMessage } from '../llm/llm-types.js';

/** The outcome of the thread's latest run; `open` until a run starts. */
export const threadStatuses = ['open', 'running', 'done', 'failed', 'cancelled', 'over-budget'] as const;
export type ThreadStatus = (typeof threadStatuses)[number];

/** `private` threads never leave the machine they were created on (sync skips them). */
export const threadVisibilities = ['team', 'private'] as const;
export type ThreadVisibility = (typeof threadVisibilities)[number];

export const threadSourceKinds = ['slack', 'github', 'chore', 'cli'] as const;
export type ThreadSourceKind = (typeof threadSourceKinds)[number];

/** Where a conversation happens. A thread may have several (an issue, then the PR Loom opened). */
export type ThreadSource =
  | { kind: 'slack'; teamId: string; channelId: string; threadTs: string }
  | { kind: 'github'; repository: string; number: number; type: 'issue' | 'pull_request' }
  | { kind: 'chore'; repository: string; chore: string }
  | { kind: 'cli'; session: string };

/** The git side of a thread: the branch Loom works on and the commits it made. */
export interface ThreadGit {
  branch?: string;
  base?: string;
  /** Full commit SHAs, oldest first. */
  commits: string[];
  /** The pull request the branch belongs to, once there is one. */
  pullRequest?: number;
}

/**
 * A message as the model saw it (the normalized `ChatMessage`, with its snake_case wire fields, so
 * `toChatMessages` gives a transcript an `LlmRequest` takes back) plus its place in the thread.
 */
export type ThreadMessage = ChatMessage & {
  /** 0-based position in the thread; never reused. */
  seq: number;
  /** The run that produced the message, when a run did. */
  runId?: string;
  createdAt: Date;
};

/** What callers append: a `ChatMessage`, optionally tagged with its run (`createdAt` defaults to now). */
export type NewThreadMessage = ChatMessage & { runId?: string; createdAt?: Date };

/** Everything about a thread except its messages. */
export interface ThreadSummary {
  /** `T-<uuidv7>`. */
  id: string;
  /** Starts at 1, +1 on every change: the optimistic-concurrency token (HTTP `ETag`). */
  version: number;
  title: string;
  /** Subject of who the thread belongs to (`loom token create --subject`, a Slack/GitHub identity). */
  owner: string;
  status: ThreadStatus;
  visibility: ThreadVisibility;
  /** `owner/name` of the repository the thread works on, when it has one. */
  repository: string | undefined;
  sources: ThreadSource[];
  git: ThreadGit;
  costUsd: number;
  /** Model responses across every run. */
  turns: number;
  runIds: string[];
  messageCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface Thread extends ThreadSummary {
  messages: ThreadMessage[];
  /** Agent state to resume from (JSON), owned by the agent runtime. */
  agentState: Record<string, unknown>;
}

export interface CreateThreadInput {
  /** Defaults to a new `T-<uuidv7>`; given by sync, which keeps the id of the local thread. */
  id?: string;
  title: string;
  owner: string;
  visibility?: ThreadVisibility;
  status?: ThreadStatus;
  /** Defaults to the repository of the first source that has one. */
  repository?: string;
  sources?: ThreadSource[];
  git?: Partial<ThreadGit>;
  agentState?: Record<string, unknown>;
  messages?: NewThreadMessage[];
}

/** Fields a writer changes; absent fields stay as they are. */
export interface ThreadPatch {
  title?: string;
  status?: ThreadStatus;
  visibility?: ThreadVisibility;
  repository?: string;
  /** Merged into the current git metadata (a given `commits` replaces the list). */
  git?: Partial<ThreadGit>;
  agentState?: Record<string, unknown>;
  costUsd?: number;
  turns?: number;
  /** Added to `runIds` unless already there. */
  runId?: string;
}

/** The whole content of a thread, as sync sends it (`PUT /api/threads/{id}`). */
export interface ThreadContent {
  title: string;
  owner: string;
  status: ThreadStatus;
  visibility: ThreadVisibility;
  repository?: string;
  sources: ThreadSource[];
  git: ThreadGit;
  agentState: Record<string, unknown>;
  costUsd: number;
  turns: number;
  runIds: string[];
  messages: NewThreadMessage[];
  /** Kept from the original when a copy is created (sync); now by default. */
  createdAt?: Date;
}

export interface ThreadWriteOptions {
  /**
   * Makes a retried write idempotent: when a write with the same id already moved the thread from
   * `expectedVersion` (a first attempt whose answer was lost with the connection), the retry returns
   * the thread instead of a `conflict`.
   */
  writeId?: string;
}

export interface ThreadFilters {
  /** Only threads of this owner (what a `user` token sees). */
  owner?: string;
  repository?: string;
  /** Threads with at least one source of this kind. */
  source?: ThreadSourceKind;
  status?: ThreadStatus;
  visibility?: ThreadVisibility;
}

export interface PageRequest {
  /** Default 20, at most 100. */
  limit?: number;
  /** Opaque, from the previous page's `nextCursor`. */
  cursor?: string;
}

export interface ThreadPage {
  threads: ThreadSummary[];
  nextCursor: string | undefined;
}

/** A piece of matching text; `highlights` are `[start, end)` offsets into `text`. */
export interface SearchSnippet {
  text: string;
  highlights: Array<[number, number]>;
}

export interface ThreadSearchHit {
  thread: ThreadSummary;
  /** Higher is better; comparable within one result list only. */
  score: number;
  /** The best-matching message, or undefined when the thread's title/metadata matched best. */
  messageSeq: number | undefined;
  snippet: SearchSnippet;
}

export interface ThreadSearchPage {
  hits: ThreadSearchHit[];
  nextCursor: string | undefined;
}

/** The store's threads repository (both adapters). */
export interface ThreadRepository {
  /** `conflict` when the id or one of the sources is taken. */
  create(input: CreateThreadInput): Promise<Thread>;
  /** Deleted threads are not returned. */
  get(id: string): Promise<Thread | undefined>;
  /** The live thread a Slack thread / issue / PR / chore belongs to (see `threadSourceKey`). */
  findBySource(source: ThreadSource | string): Promise<Thread | undefined>;
  /**
   * Appends messages (and applies `patch`) if the thread is still at `expectedVersion`; else
   * `conflict` (someone else wrote first: reload, re-apply, write again; `appendToThread` does).
   * Unknown or deleted id: `not_found`.
   */
  appendMessages(
    id: string,
    expectedVersion: number,
    messages: NewThreadMessage[],
    patch?: ThreadPatch,
    options?: ThreadWriteOptions,
  ): Promise<Thread>;
  update(
    id: string,
    expectedVersion: number,
    patch: ThreadPatch,
    options?: ThreadWriteOptions,
  ): Promise<Thread>;
  /**
   * Replaces the whole content: `expectedVersion` undefined creates the thread with `id` (`conflict`
   * when it exists), a number replaces it only at that version (`conflict` otherwise).
   */
  replace(
    id: string,
    expectedVersion: number | undefined,
    content: ThreadContent,
    options?: ThreadWriteOptions,
  ): Promise<Thread>;
  /** Ranked full-text search over messages, tool calls and results, titles, branches and commits. */
  search(query: string, filters?: ThreadFilters, page?: PageRequest): Promise<ThreadSearchPage>;
  /** Newest activity first. */
  list(filters?: ThreadFilters, page?: PageRequest): Promise<ThreadPage>;
  /** Hides the thread (and frees its sources); messages stay in the database. `not_found` if unknown. */
  softDelete(id: string): Promise<void>;
  /** Adds a source (no-op if already linked here); `conflict` when it belongs to another thread. */
  linkSource(id: string, source: ThreadSource): Promise<Thread>;
  /** Threads changed since their last sync, `private` ones excluded, oldest change first. */
  listUnsynced(limit?: number): Promise<Thread[]>;
  /** Records that `localVersion` was pushed and the server holds it as `remoteVersion`. */
  markSynced(id: string, localVersion: number, remoteVersion: number): Promise<void>;
  /** The server version last synced to, if the thread was ever synced. */
  remoteVersionOf(id: string): Promise<number | undefined>;
}
