import { describe, expect, it } from 'vitest';
import { decideSlackTrigger } from './decide-slack-trigger.js';
import { parseSlackMessage, type SlackMessage } from './slack-message.js';

const bot = 'U0LOOMBOT1';

function message(overrides: Partial<SlackMessage> = {}): SlackMessage {
  return {
    eventId: 'Ev1',
    eventType: 'message',
    installedTeamId: 'T1',
    userTeamId: 'T1',
    channelId: 'C1',
    channelType: 'channel',
    userId: 'U1',
    botId: undefined,
    subtype: undefined,
    text: 'hello',
    ts: '2.0',
    threadTs: undefined,
    edited: false,
    ...overrides,
  };
}

describe('decideSlackTrigger', () => {
  it.each<[string, Partial<SlackMessage>, ReturnType<typeof decideSlackTrigger>]>([
    [
      'an app_mention',
      { eventType: 'app_mention', text: `<@${bot}> hi` },
      { trigger: true, via: 'mention', needsKnownThread: false },
    ],
    [
      'a direct message',
      { channelType: 'im', channelId: 'D1' },
      { trigger: true, via: 'direct_message', needsKnownThread: false },
    ],
    ['a thread reply', { threadTs: '1.0' }, { trigger: true, via: 'thread_reply', needsKnownThread: true }],
    [
      'a file shared in a thread',
      { threadTs: '1.0', subtype: 'file_share' },
      { trigger: true, via: 'thread_reply', needsKnownThread: true },
    ],
    ['a top-level channel message', {}, { trigger: false, reason: 'not_addressed' }],
    ['a thread parent', { threadTs: '2.0' }, { trigger: false, reason: 'not_addressed' }],
    ['its own message', { userId: bot, channelType: 'im' }, { trigger: false, reason: 'own_message' }],
    [
      'a bot message',
      { botId: 'B2', subtype: 'bot_message', userId: undefined },
      { trigger: false, reason: 'bot' },
    ],
    ['an app mentioning it', { eventType: 'app_mention', botId: 'B2' }, { trigger: false, reason: 'bot' }],
    ['an edit', { subtype: 'message_changed', channelType: 'im' }, { trigger: false, reason: 'subtype' }],
    ['an edited mention', { eventType: 'app_mention', edited: true }, { trigger: false, reason: 'edited' }],
    [
      'a channel message with the mention',
      { text: `<@${bot}> hi`, threadTs: '1.0' },
      { trigger: false, reason: 'mention_event_covers_it' },
    ],
  ])('decides on %s', (_name, overrides, expected) => {
    expect(decideSlackTrigger(message(overrides), bot)).toEqual(expected);
  });
});

describe('parseSlackMessage', () => {
  it('takes the requester workspace from user_team in a Slack Connect channel', () => {
    const parsed = parseSlackMessage({
      type: 'event_callback',
      event_id: 'Ev9',
      team_id: 'T1',
      authorizations: [{ team_id: 'T1' }],
      event: {
        type: 'app_mention',
        channel: 'C1',
        ts: '3.0',
        user: 'U9',
        text: 'hi',
        team: 'T2',
        user_team: 'T2',
      },
    });
    expect(parsed).toMatchObject({ installedTeamId: 'T1', userTeamId: 'T2', eventType: 'app_mention' });
  });

  it('reads nothing from other callbacks or events', () => {
    expect(parseSlackMessage({ type: 'url_verification', challenge: 'x' })).toBeUndefined();
    expect(
      parseSlackMessage({
        type: 'event_callback',
        event_id: 'Ev1',
        team_id: 'T1',
        event: { type: 'reaction_added' },
      }),
    ).toBeUndefined();
  });
});
