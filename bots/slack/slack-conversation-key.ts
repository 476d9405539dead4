/**
 * The conversation key of a Slack thread: `threadSourceKey` (src/threads) of its Slack source, so a
 * job's `conversationKey` finds the thread the conversation is stored in.
 */
import { threadSourceKey } from '../../src/threads/index.js';

export function slackConversationKey(teamId: string, channelId: string, threadTs: string): string {
  return threadSourceKey({ kind: 'slack', teamId, channelId, threadTs });
}
