import { describe, expect, it } from 'vitest';
import { ToolCallAccumulator } from './tool-call-accumulator.js';

describe('ToolCallAccumulator', () => {
  it('joins fragments per index and parses them once at the end', () => {
    const calls = new ToolCallAccumulator();
    calls.start(0, 'a', 'grep');
    calls.append(1, '{"path":', 'b', 'read_file');
    calls.append(0, '{"pattern": "x"');
    calls.append(1, ' "y"}');
    calls.append(0, '}');

    expect(calls.finish()).toEqual({
      ok: true,
      toolCalls: [
        { id: 'a', name: 'grep', arguments: { pattern: 'x' } },
        { id: 'b', name: 'read_file', arguments: { path: 'y' } },
      ],
    });
  });

  it('keeps the first id and name when a server repeats them', () => {
    const calls = new ToolCallAccumulator();
    calls.append(0, '{}', 'call_1', 'glob');
    calls.append(0, '', 'call_1', 'glob');

    expect(calls.finish()).toEqual({ ok: true, toolCalls: [{ id: 'call_1', name: 'glob', arguments: {} }] });
  });

  it('uses the start arguments when no fragment came, and {} when there were none', () => {
    const calls = new ToolCallAccumulator();
    calls.start(0, 'a', 'list_files', { path: 'src' });
    calls.start(1, 'b', 'list_files');

    expect(calls.finish()).toMatchObject({
      ok: true,
      toolCalls: [{ arguments: { path: 'src' } }, { arguments: {} }],
    });
  });

  it.each(['{"path": "a"', '[1, 2]', '"text"', 'null'])(
    'refuses arguments %s that are not one JSON object',
    (json) => {
      const calls = new ToolCallAccumulator();
      calls.append(0, json, 'a', 'read_file');

      expect(calls.finish()).toMatchObject({
        ok: false,
        error: { code: 'upstream_rejected', retryable: true },
      });
    },
  );
});
