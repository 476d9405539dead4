/**
 * The Slack app's own durable state: which repository a channel works on by default, which Slack
 * threads Loom is part of (so replies there continue the conversation), and what a run's reporter
 * already posted (so a retried job edits its status message instead of posting another).
 */

import type { RecordRequestInput, RequestRecord } from './store-types.js';

/** `@loom use owner/repo` in a channel: the default repository of that channel. */
export interface SlackChannelBinding {
  teamId: string;
  channelId: string;
  /** `owner/name`. */
  repository: string;
  /** Slack user id of whoever set it. */
  setBy: string;
  updatedAt: Date;
}

/** A Slack thread Loom takes part in. */
export interface SlackThreadRecord {
  teamId: string;
  channelId: string;
  threadTs: string;
  /** The repository the conversation works on, once known. */
  repository: string | undefined;
  /** A task Loom asked "which repository?" about; the reply naming one runs it. */
  pendingPrompt: string | undefined;
  createdAt: Date;
  updatedAt: Date;
}

export interface RememberSlackThreadInput {
  teamId: string;
  channelId: string;
  threadTs: string;
  /** Set when given; an existing repository is kept when left out. */
  repository?: string;
  /** A string sets it, `null` clears it, left out keeps it. */
  pendingPrompt?: string | null;
}

/** What a Slack run reporter has posted so far, keyed by the run's delivery. */
export interface SlackReportState {
  /** `ts` of the status message, once posted. */
  statusTs?: string;
  /** Whether the 👀 reaction was added. */
  reacted?: boolean;
  /** `ts` of the final message, once posted. */
  finalTs?: string;
}

export interface SlackStateRepository {
  /**
   * `RequestLedger.record` for a Slack event that makes Loom part of a thread: when the request is
   * new, `thread` is remembered (as by `rememberThread`) in the same transaction, so an acknowledged
   * event never lacks its thread row and one database sync covers both. A duplicate writes nothing.
   */
  recordRequestWithThread(
    request: RecordRequestInput,
    thread: RememberSlackThreadInput,
  ): Promise<{ created: boolean; request: RequestRecord }>;
  /** Sets (or replaces) a channel's default repository. */
  bindChannel(input: Omit<SlackChannelBinding, 'updatedAt'>): Promise<SlackChannelBinding>;
  getChannelBinding(teamId: string, channelId: string): Promise<SlackChannelBinding | undefined>;
  /** Records that Loom is part of a thread (idempotent; see the input's field rules). */
  rememberThread(input: RememberSlackThreadInput): Promise<SlackThreadRecord>;
  getThread(teamId: string, channelId: string, threadTs: string): Promise<SlackThreadRecord | undefined>;
  getReport(key: string): Promise<SlackReportState | undefined>;
  /** Replaces the report state stored under `key`. */
  saveReport(key: string, state: SlackReportState): Promise<void>;
}
