import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildCommitMessage, shellQuote } from './commit-in-weaver.js';

describe('shellQuote', () => {
  it('passes any text through bash unchanged', () => {
    for (const text of ["it's", '$(rm -rf /) `x` "y"', 'line\nbreak', "'; echo pwned; '", '']) {
      expect(execFileSync('bash', ['-c', `printf '%s' ${shellQuote(text)}`], { encoding: 'utf8' })).toBe(
        text,
      );
    }
  });
});

describe('buildCommitMessage', () => {
  it('ends with the Co-authored-by trailer and keeps the subject short', () => {
    const message = buildCommitMessage({
      subject: `Fix ${'very '.repeat(30)}long title (#3)`,
      summary: 'Changed sum.',
      reference: 'acme/calc#3',
      coAuthor: { name: 'alice', email: '501+alice@users.noreply.github.com' },
    });
    const lines = message.split('\n');
    expect(lines[0]?.length).toBeLessThanOrEqual(72);
    expect(message).toContain('\n\nChanged sum.\n\nRequested in acme/calc#3.\n\n');
    expect(message.trimEnd().endsWith('Co-authored-by: alice <501+alice@users.noreply.github.com>')).toBe(
      true,
    );
  });
});
