import { describe, expect, it } from 'vitest';
import { applyEdits } from './apply-edits.js';

describe('applyEdits', () => {
  it('applies edits in order, each seeing the previous result', () => {
    const result = applyEdits('a b c', [
      { old_str: 'a', new_str: 'x' },
      { old_str: 'x b', new_str: 'y' },
    ]);
    expect(result).toEqual({ ok: true, content: 'y c', replacements: 2 });
  });

  it('fails on an empty, identical, missing or ambiguous old_str', () => {
    expect(applyEdits('aa', [{ old_str: '', new_str: 'x' }]).ok).toBe(false);
    expect(applyEdits('aa', [{ old_str: 'a', new_str: 'a' }]).ok).toBe(false);
    expect(applyEdits('aa', [{ old_str: 'b', new_str: 'x' }]).ok).toBe(false);
    expect(applyEdits('aa', [{ old_str: 'a', new_str: 'x' }])).toEqual({
      ok: false,
      message: 'old_str matches 2 places. Add surrounding lines to make it unique, or set replace_all.',
    });
  });

  it('counts non-overlapping occurrences', () => {
    expect(applyEdits('aaaa', [{ old_str: 'aa', new_str: 'b', replace_all: true }])).toEqual({
      ok: true,
      content: 'bb',
      replacements: 2,
    });
  });
});
