import { describe, expect, it } from 'vitest';
import { findAppMention } from './find-app-mention.js';
import { parseTriggerText } from './parse-trigger-text.js';

const slug = 'loom-bot';

describe('findAppMention', () => {
  it.each([
    ['at the start', '@loom-bot fix it'],
    ['in the middle of a sentence', 'Could @loom-bot fix it?'],
    ['on a later line', 'Context first.\n\n@loom-bot fix it'],
    ['in another case (logins are case-insensitive)', '@Loom-Bot fix it'],
    ['followed by punctuation', 'thanks, @loom-bot!'],
    ['in parentheses', '(cc @loom-bot)'],
  ])('finds a mention %s', (_case, text) => {
    expect(findAppMention(text, slug)).toBeDefined();
  });

  it.each([
    ['a longer login', '@loom-bot2 fix it'],
    ['a longer login with a dash', '@loom-bot-staging fix it'],
    ['an e-mail address', 'mail ops@loom-bot please'],
    ['a path', 'see acme/@loom-bot'],
    ['a code span', 'run `@loom-bot fix` to start it'],
    ['a fenced code block', '```\n@loom-bot fix it\n```'],
    ['a quoted line', '> @loom-bot fix it\n\nno thanks'],
    ['no mention', 'loom-bot fix it'],
  ])('ignores %s', (_case, text) => {
    expect(findAppMention(text, slug)).toBeUndefined();
  });

  it('returns the rest of the mention line', () => {
    expect(findAppMention('hi @loom-bot  status \nmore', slug)?.restOfLine).toBe('  status ');
  });
});

describe('parseTriggerText', () => {
  it('returns undefined without a mention', () => {
    expect(parseTriggerText('please fix it', slug)).toBeUndefined();
  });

  it('takes anything after the mention as a task, keeping the text as the prompt', () => {
    expect(parseTriggerText('  @loom-bot please implement this\n\nDetails.  ', slug)).toEqual({
      command: 'run',
      prompt: '@loom-bot please implement this\n\nDetails.',
      budgetUsd: undefined,
    });
  });

  it.each([
    ['@loom-bot stop', 'stop'],
    ['@loom-bot STOP!', 'stop'],
    ['please @loom-bot stop.', 'stop'],
    ['@loom-bot status', 'status'],
    ['@loom-bot status\nthanks', 'status'],
    ['@loom-bot stop the build from flaking', 'run'],
    ['@loom-bot what is your status?', 'run'],
    ['@loom-bot', 'run'],
  ] as const)('reads %j as command %s', (text, command) => {
    expect(parseTriggerText(text, slug)?.command).toBe(command);
  });

  it.each([
    ['budget=$3', 3],
    ['budget=3', 3],
    ['Budget = $2.50', 2.5],
    ['budget=$10000', 10_000],
  ])('reads %j as a budget of %d USD and takes it out of the prompt', (directive, amount) => {
    expect(parseTriggerText(`@loom-bot fix it ${directive} thanks`, slug)).toEqual({
      command: 'run',
      prompt: '@loom-bot fix it  thanks',
      budgetUsd: amount,
    });
  });

  it.each(['budget=$0', 'budget=$10001', 'budget=$1.234'])(
    'ignores an out-of-range or malformed %j',
    (directive) => {
      expect(parseTriggerText(`@loom-bot fix it ${directive}`, slug)?.budgetUsd).toBeUndefined();
    },
  );

  it('does not read a budget from code or a quoted line', () => {
    expect(parseTriggerText('@loom-bot fix `budget=$5`\n> budget=$7', slug)?.budgetUsd).toBeUndefined();
  });
});
