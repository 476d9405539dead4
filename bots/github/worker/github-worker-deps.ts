/**
 * What the GitHub worker needs, passed in by the composition root (`loom worker` / `loom start`):
 * no config is read and no connection is opened in the worker itself.
 */
import type { OutboundProxyConfig } from '../../../src/config/index.js';
import type { ThreadRepository } from '../../../src/threads/index.js';
import type { Weaver } from '../../../src/weaver/index.js';
import type { ConversationInbox } from './conversation-inbox.js';
import type { ConversationLock } from './conversation-lock.js';
import type { ModelAccess } from './create-proxy-model-access.js';
import type { GithubWorkerApi } from './github-worker-api.js';

export interface WeaverRequest {
  jobId: string;
  /** `owner/name`. */
  repository: string;
  workspaceDir: string;
  /** Aborting stops waiting for a weaver (shutdown). */
  signal: AbortSignal;
}

export interface GithubWorkerDeps {
  api: GithubWorkerApi;
  models: ModelAccess;
  /**
   * Opens a weaver for one attempt. Shaped like `WeaverBackend.open` (src/weaver/create-weaver.ts):
   * the local backend works in `workspaceDir`; Kubernetes ignores it.
   */
  createWeaver(request: WeaverRequest): Promise<Weaver>;
  /** Git base URL (`config.github.gitUrl`): repositories are `{gitUrl}/{owner}/{repo}.git`. */
  gitUrl: string;
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY for the mirror's git; undefined: direct. */
  outboundProxy?: OutboundProxyConfig | undefined;
  /** Where mirrors live (e.g. `{dataDir}/mirrors`). */
  mirrorsDir: string;
  /** Where run workspaces are created and removed (e.g. `{dataDir}/workspaces`). */
  workspacesDir: string;
  /** Conversations (threads): a later mention continues the same transcript. */
  threads?: ThreadRepository;
  /** Serializes runs of one conversation across workers; without it, runs are not serialized. */
  conversationLock?: ConversationLock;
  /**
   * Messages for running runs (Slack replies that steer, `stop`, `status`) across workers; without
   * it, only GitHub comments steer and `status` reports nothing running.
   */
  inbox?: ConversationInbox;
  /** How often a running run reads its inbox (default 1 s). */
  inboxPollMs?: number;
  /** Untrusted text (comments, issue bodies) passes through this before a prompt. */
  sanitize(text: string): string;
  /** Budget of a request that names none (`budget=$N` overrides it), in USD. */
  defaultBudgetUsd: number;
  /** Wall time of one agent run before it is stopped (its partial work is pushed as WIP). */
  maxWallTimeMs: number;
  maxTurns?: number;
  /** Minimum time between two edits of the tracking comment (default 5 s). */
  progressIntervalMs?: number;
  /** How often new comments are read for steering and `stop` (default 10 s). */
  steeringPollMs?: number;
  /**
   * Attempts a job has in total (the queue's policy): the last one reports a retryable failure as
   * final instead of leaving it to a retry that will not come.
   */
  maxAttempts: number;
}

export const defaultProgressIntervalMs = 5_000;
export const defaultSteeringPollMs = 10_000;
export const defaultInboxPollMs = 1_000;
