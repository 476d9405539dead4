import { describe, expect, it } from 'vitest';
import { capOutput, HeadTailBuffer } from './cap-output.js';

describe('capOutput', () => {
  it('leaves short output alone', () => {
    expect(capOutput('short', 10)).toEqual({ text: 'short', truncated: false });
  });

  it('keeps head and tail with a note', () => {
    const result = capOutput(`HEAD${'x'.repeat(100)}TAIL`, 20);
    expect(result.truncated).toBe(true);
    expect(result.text.startsWith('HEAD')).toBe(true);
    expect(result.text.endsWith('TAIL')).toBe(true);
    expect(result.text).toContain('88 characters omitted');
  });
});

describe('HeadTailBuffer', () => {
  it('matches the input exactly while under the cap, whatever the chunking', () => {
    const buffer = new HeadTailBuffer(11);
    for (const chunk of ['abc', 'def', 'ghijk']) buffer.append(chunk);
    expect(buffer.result()).toEqual({ text: 'abcdefghijk', truncated: false });
  });

  it('keeps the first and last characters across many chunks', () => {
    const buffer = new HeadTailBuffer(10);
    for (let index = 0; index < 100; index += 1) buffer.append(String(index % 10));
    const result = buffer.result();
    expect(result.truncated).toBe(true);
    expect(result.text.startsWith('01234')).toBe(true);
    expect(result.text.endsWith('56789')).toBe(true);
    expect(result.text).toContain('90 characters omitted');
  });
});
