/**
 * Events API bodies shaped exactly like Slack's (event_callback envelopes with `authorizations`,
 * `event_context`, blocks left out), built with overrides per test.
 */
import { randomUUID } from 'node:crypto';

export const teamId = 'T0ACME0001';
export const botUserId = 'U0LOOMBOT1';
export const botId = 'B0LOOMBOT1';
export const appId = 'A0LOOMAPP1';
export const channelId = 'C0GENERAL1';
export const userId = 'U0ALICE001';

/** A fresh, unique Slack-style event id (`Ev…`). */
export function newEventId(): string {
  return `Ev${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
}

let clock = 1_700_000_000;
/** A fresh message ts (`seconds.micro`), increasing. */
export function newTs(): string {
  clock += 1;
  return `${clock}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

export interface EnvelopeOptions {
  eventId?: string;
  teamId?: string;
}

export function envelope(
  event: Record<string, unknown>,
  options: EnvelopeOptions = {},
): Record<string, unknown> {
  const team = options.teamId ?? teamId;
  return {
    token: 'legacy-verification-token',
    team_id: team,
    context_team_id: team,
    context_enterprise_id: null,
    api_app_id: appId,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? newEventId(),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: team, user_id: botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(randomUUID()).toString('base64url')}`,
  };
}

/** `app_mention` in a channel: `<@bot> text`. */
export function appMention(
  text: string,
  overrides: Record<string, unknown> = {},
  options: EnvelopeOptions = {},
) {
  const ts = newTs();
  return envelope(
    {
      user: userId,
      type: 'app_mention',
      ts,
      client_msg_id: randomUUID(),
      text: `<@${botUserId}> ${text}`,
      team: options.teamId ?? teamId,
      channel: channelId,
      event_ts: ts,
      ...overrides,
    },
    options,
  );
}

/** A `message` event (`message.channels`, `message.im`, ...). */
export function message(
  text: string,
  overrides: Record<string, unknown> = {},
  options: EnvelopeOptions = {},
) {
  const ts = newTs();
  return envelope(
    {
      user: userId,
      type: 'message',
      ts,
      client_msg_id: randomUUID(),
      text,
      team: options.teamId ?? teamId,
      channel: channelId,
      event_ts: ts,
      channel_type: 'channel',
      ...overrides,
    },
    options,
  );
}

/** A direct message to the bot (`message.im`). */
export function directMessage(text: string, overrides: Record<string, unknown> = {}) {
  return message(text, { channel: 'D0ALICEDM1', channel_type: 'im', ...overrides });
}

/** A reply in a thread (`message.channels` with `thread_ts`, no mention). */
export function threadReply(threadTs: string, text: string, overrides: Record<string, unknown> = {}) {
  return message(text, { thread_ts: threadTs, parent_user_id: userId, ...overrides });
}

export function urlVerification(challenge: string) {
  return { token: 'legacy-verification-token', challenge, type: 'url_verification' };
}

/** Slack's SSL check (form-encoded, as Slack sends it). */
export function sslCheckBody(): string {
  return 'ssl_check=1&token=legacy-verification-token';
}

/** The event inside an envelope. */
export function eventOf(body: Record<string, unknown>): Record<string, string> {
  return body.event as Record<string, string>;
}
