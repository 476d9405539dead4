/**
 * Whether a Slack message is addressed to Loom (DESIGN §4): an `app_mention`, a direct message, or a
 * reply in a thread Loom is part of. Our own messages, other bots' messages, edits, deletions and
 * joins never trigger. Pure: the "is Loom part of this thread" lookup is left to the caller.
 */
import type { SlackMessage } from './slack-message.js';

export type SlackTriggerDecision =
  | { trigger: false; reason: SlackIgnoreReason }
  | {
      trigger: true;
      via: 'mention' | 'direct_message' | 'thread_reply';
      /** A plain thread reply triggers only in a thread Loom is part of: the caller checks. */
      needsKnownThread: boolean;
    };

export type SlackIgnoreReason =
  'bot' | 'own_message' | 'subtype' | 'edited' | 'mention_event_covers_it' | 'not_addressed';

/** Subtypes of ordinary human messages; every other subtype is a system or bot event. */
const humanSubtypes = new Set(['file_share', 'thread_broadcast']);

export function decideSlackTrigger(message: SlackMessage, botUserId: string): SlackTriggerDecision {
  if (message.userId === botUserId) return { trigger: false, reason: 'own_message' };
  if (message.botId !== undefined || message.subtype === 'bot_message' || message.userId === undefined) {
    return { trigger: false, reason: 'bot' };
  }
  if (message.subtype !== undefined && !humanSubtypes.has(message.subtype)) {
    return { trigger: false, reason: 'subtype' };
  }
  if (message.edited) return { trigger: false, reason: 'edited' };
  if (message.eventType === 'app_mention') return { trigger: true, via: 'mention', needsKnownThread: false };
  // Slack sends no app_mention in direct messages, so every DM is a message event.
  if (message.channelType === 'im') return { trigger: true, via: 'direct_message', needsKnownThread: false };
  // In channels a mention arrives twice (app_mention and message, with different event ids).
  if (message.text.includes(`<@${botUserId}>`)) return { trigger: false, reason: 'mention_event_covers_it' };
  if (message.threadTs !== undefined && message.threadTs !== message.ts) {
    return { trigger: true, via: 'thread_reply', needsKnownThread: true };
  }
  return { trigger: false, reason: 'not_addressed' };
}
