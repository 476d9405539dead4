import { describe, expect, it } from 'vitest';
import { parseWorkerCommand, textAfterMention } from './parse-mention.js';

describe('textAfterMention', () => {
  it('returns the text after @{app-slug}, in any case', () => {
    expect(textAfterMention('Hey @Loom-Bot please fix it', 'loom-bot')).toBe('please fix it');
    expect(textAfterMention('@loom-bot stop', 'loom-bot')).toBe('stop');
  });

  it('ignores other accounts and look-alikes', () => {
    expect(textAfterMention('@loom-bot-two stop', 'loom-bot')).toBeUndefined();
    expect(textAfterMention('mail me at x@loom-bot.dev', 'loom-bot')).toBeUndefined();
    expect(textAfterMention('no mention here', 'loom-bot')).toBeUndefined();
  });
});

describe('parseWorkerCommand', () => {
  it('reads stop and status alone on the first line', () => {
    expect(parseWorkerCommand('stop')).toEqual({ kind: 'stop' });
    expect(parseWorkerCommand(' Stop!\nthanks')).toEqual({ kind: 'stop' });
    expect(parseWorkerCommand('status.')).toEqual({ kind: 'status' });
  });

  it('treats anything else as a task', () => {
    expect(parseWorkerCommand('stop the flaky test from failing')).toEqual({
      kind: 'task',
      text: 'stop the flaky test from failing',
    });
  });
});
