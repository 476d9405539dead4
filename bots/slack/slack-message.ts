/**
 * The fields of a Slack `event_callback` Loom looks at, validated and flattened. Only `app_mention`
 * and `message` events become a `SlackMessage`; every other event is not for us.
 */
import { z } from 'zod';

/** One message-like Slack event, as the ingress decides on it. */
export interface SlackMessage {
  /** The delivery id (`event_id`): deduplicates Slack's retries. */
  eventId: string;
  eventType: 'app_mention' | 'message';
  /** The workspace the app is installed in (whose token answers). */
  installedTeamId: string;
  /** The requester's own workspace: another one in a Slack Connect channel. */
  userTeamId: string;
  channelId: string;
  /** `im`, `channel`, `group`, `mpim` for `message` events; absent for `app_mention`. */
  channelType: string | undefined;
  userId: string | undefined;
  /** Set when a bot or app wrote the message. */
  botId: string | undefined;
  subtype: string | undefined;
  text: string;
  ts: string;
  /** The thread the message is in (absent for a top-level message). */
  threadTs: string | undefined;
  edited: boolean;
}

const eventSchema = z.looseObject({
  type: z.enum(['app_mention', 'message']),
  channel: z.string().min(1),
  ts: z.string().min(1),
  text: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  channel_type: z.string().optional(),
  thread_ts: z.string().optional(),
  team: z.string().optional(),
  user_team: z.string().optional(),
  edited: z.unknown().optional(),
});

const envelopeSchema = z.looseObject({
  type: z.literal('event_callback'),
  event_id: z.string().min(1),
  team_id: z.string().min(1),
  authorizations: z.array(z.looseObject({ team_id: z.string().nullable().optional() })).optional(),
  event: eventSchema,
});

/** Reads an Events API body; `undefined` for anything that is not a message-like event callback. */
export function parseSlackMessage(body: unknown): SlackMessage | undefined {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const envelope = parsed.data;
  const event = envelope.event;
  const installedTeamId = envelope.authorizations?.[0]?.team_id ?? envelope.team_id;
  return {
    eventId: envelope.event_id,
    eventType: event.type,
    installedTeamId,
    userTeamId: event.user_team ?? event.team ?? installedTeamId,
    channelId: event.channel,
    channelType: event.channel_type,
    userId: event.user,
    botId: event.bot_id,
    subtype: event.subtype,
    text: event.text ?? '',
    ts: event.ts,
    threadTs: event.thread_ts,
    edited: event.edited !== undefined,
  };
}
