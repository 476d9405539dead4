import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse-parser.js';

describe('createSseParser', () => {
  it('parses events split at arbitrary points, with CRLF, comments and multi-line data', () => {
    const text =
      ': ping\r\nevent: llm\r\ndata: {"a":1}\r\n\r\ndata: line one\ndata: line two\n\nevent: x\ndata:no-space\n\n';
    for (const size of [1, 2, 3, 7, text.length]) {
      const parser = createSseParser();
      const events = [];
      for (let index = 0; index < text.length; index += size)
        events.push(...parser.push(text.slice(index, index + size)));
      events.push(...parser.finish());
      expect(events).toEqual([
        { event: 'llm', data: '{"a":1}' },
        { event: 'message', data: 'line one\nline two' },
        { event: 'x', data: 'no-space' },
      ]);
    }
  });

  it('flushes a last event that lacks the blank line', () => {
    const parser = createSseParser();
    expect(parser.push('data: [DONE]')).toEqual([]);
    expect(parser.finish()).toEqual([{ event: 'message', data: '[DONE]' }]);
  });
});
