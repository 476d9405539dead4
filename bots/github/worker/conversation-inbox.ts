/**
 * Messages for the run that is working on a conversation right now, across worker processes: a
 * Slack reply that steers it, a `stop`, and the one-line status a `status` command answers with.
 * The port lives here; the Redis implementation is `queue/processors/redis-conversation-inbox.ts`.
 */

export interface InboxMessage {
  kind: 'steer' | 'stop';
  /** Who sent it, as the surface names them (`<@U123>`, `@octocat`). */
  from: string;
  text: string;
  /** Unique per message (the Slack message ts), so identical texts stay distinct. */
  id: string;
}

export interface OpenInbox {
  /** Everything delivered since the last call, oldest first; keeps the inbox open. */
  take(): Promise<InboxMessage[]>;
  /** What `status` answers while this run works. */
  setStatus(text: string): Promise<void>;
  close(): Promise<void>;
}

export type DeliveryOutcome = 'taken' | 'not-running';

export interface ConversationInbox {
  open(conversationKey: string, runId: string): Promise<OpenInbox>;
  /** Offers `message` to the running run; `not-running` when none took it (nothing is left behind). */
  deliver(conversationKey: string, message: InboxMessage): Promise<DeliveryOutcome>;
  /** The running run's status line, or undefined when nothing runs. */
  status(conversationKey: string): Promise<string | undefined>;
}
