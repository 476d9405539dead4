import { describe, expect, it } from 'vitest';
import { describeToolCall } from './describe-tool-call.js';

describe('describeToolCall', () => {
  it('shows the telling argument of each built-in tool', () => {
    expect(describeToolCall({ id: '1', name: 'bash', arguments: { command: 'npm   test\n -- --run' } })).toBe(
      'bash: npm test -- --run',
    );
    expect(describeToolCall({ id: '2', name: 'grep', arguments: { pattern: 'TODO', path: 'src' } })).toBe(
      'grep TODO',
    );
    expect(describeToolCall({ id: '3', name: 'list_files', arguments: {} })).toBe('list_files');
    expect(describeToolCall({ id: '4', name: 'custom', arguments: { a: 1 } })).toBe('custom {"a":1}');
  });

  it('cuts long descriptions with an ellipsis', () => {
    const text = describeToolCall({ id: '1', name: 'bash', arguments: { command: 'x'.repeat(500) } }, 40);
    expect(text).toHaveLength(40);
    expect(text.endsWith('…')).toBe(true);
  });
});
