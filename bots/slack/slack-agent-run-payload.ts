/**
 * The `agent-run` payload of a Slack request: the task, its repository and conversation, and the
 * Slack origin the worker reports to (thread, requesting message, requester).
 */
import type { JobPayloadInput } from '../../queue/index.js';
import { slackConversationKey } from './slack-conversation-key.js';
import type { SlackMessage } from './slack-message.js';

export interface SlackTask {
  command: 'run' | 'stop' | 'status';
  prompt: string;
  repository: string;
  budgetUsd?: number;
}

export function slackAgentRunPayload(
  message: SlackMessage,
  threadTs: string,
  task: SlackTask,
): Omit<JobPayloadInput<'agent-run'>, 'deliveryId'> {
  const userId = message.userId ?? '';
  return {
    version: 1,
    source: 'slack',
    command: task.command,
    prompt: task.prompt,
    repository: task.repository,
    requester: { source: 'slack', id: userId },
    conversationKey: slackConversationKey(message.installedTeamId, message.channelId, threadTs),
    ...(task.budgetUsd === undefined ? {} : { budgetUsd: task.budgetUsd }),
    slack: {
      teamId: message.installedTeamId,
      channelId: message.channelId,
      threadTs,
      messageTs: message.ts,
      userId,
    },
  };
}

/** The ledger's `kind`: `app_mention`, `message.im` or `message.thread_reply`. */
export function slackLedgerKind(message: SlackMessage): string {
  if (message.eventType === 'app_mention') return 'app_mention';
  return message.channelType === 'im' ? 'message.im' : 'message.thread_reply';
}
